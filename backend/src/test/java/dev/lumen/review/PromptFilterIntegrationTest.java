package dev.lumen.review;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import dev.lumen.account.Role;
import dev.lumen.catalog.CatalogModel;
import dev.lumen.catalog.CatalogModelRepository;
import dev.lumen.catalog.CatalogSae;
import dev.lumen.catalog.SaeRegistrar;
import dev.lumen.engine.model.HookNames;
import dev.lumen.engine.model.LanguageModel;
import dev.lumen.engine.sae.Sae;
import dev.lumen.engine.sae.SaeArchitecture;
import dev.lumen.engine.sae.SaeConfig;
import dev.lumen.engine.sae.SaeParameters;
import dev.lumen.feature.DecoderVectorWriter;
import dev.lumen.testing.DatabaseTest;
import dev.lumen.testing.ReviewFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The multi-prompt filter on the demo model with a small random SAE: per-prompt maxima agree with a scalar SAE
 * encoder applied to the model's hook activations, and "find candidates" queues exactly the features that the
 * filter picks from those reference maxima.
 */
class PromptFilterIntegrationTest extends DatabaseTest {

	static final String HOOK = HookNames.residPost(1);

	static final int D_IN = 128;

	static final int D_SAE = 24;

	static final List<String> PROMPTS = List.of("She lied to her mom about the cookies.",
			"The boy told a big lie to his friend.", "Tom said he did not break the vase, but he did.");

	@TempDir
	Path tmp;

	@Autowired
	ApplicationContext context;

	@Autowired
	PromptActivations activations;

	@Autowired
	SuggestionService suggestions;

	@Autowired
	SuggestionSets sets;

	@Autowired
	FlagRepository flags;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	CatalogModelRepository models;

	Path modelFile;

	Path saeDir;

	CatalogModel model;

	CatalogSae sae;

	SaeParameters weights;

	EmptiedSuggestionSets emptied;

	String admin;

	ReviewFixture users;

	@BeforeEach
	void setUp() throws Exception {
		this.modelFile = repo().resolve("demo/models/tinystories-1m/model.bin");
		this.saeDir = this.tmp.resolve("sae");
		this.weights = randomWeights();
		try (Sae s = Sae.create(SaeConfig.of(D_IN, D_SAE, SaeArchitecture.STANDARD, 0, HOOK, "tinystories-1m"), this.weights,
				Device.cpu())) {
			s.save(this.saeDir);
		}
		this.model = this.models.save(new CatalogModel("prompt-" + UUID.randomUUID().toString().substring(0, 8), "prompt test",
				this.modelFile.toString(), "LlamaForCausalLM", D_IN, 2, 512));
		this.sae = this.context.getBean(SaeRegistrar.class).register(new CatalogSae(this.model, "rand", HOOK, 1, D_IN, D_SAE,
				"standard", this.saeDir.toString()));
		float[][] rows = new float[D_SAE][D_IN]; // [dSae, dIn]
		for (int f = 0; f < D_SAE; f++) {
			System.arraycopy(this.weights.wDec(), f * D_IN, rows[f], 0, D_IN);
		}
		this.context.getBean(DecoderVectorWriter.class).insert(this.sae, 0, rows);
		this.users = new ReviewFixture(this.context, 1);
		this.admin = this.users.user(Role.ADMIN);
		this.emptied = new EmptiedSuggestionSets(this.sets, this.admin);
	}

	@AfterEach
	void tearDown() {
		this.emptied.close();
		this.models.delete(this.model);
		this.users.close();
	}

	@Test
	void perPromptMaximaMatchAScalarEncoderOverTheHookActivations() throws Exception {
		float[][] got = this.activations.maxPerPrompt(this.modelFile.toString(), this.saeDir.toString(), PROMPTS);
		float[][] expected = reference();
		for (int p = 0; p < PROMPTS.size(); p++) {
			for (int f = 0; f < D_SAE; f++) {
				assertThat(got[p][f]).as("prompt %d feature %d", p, f).isCloseTo(expected[p][f], org.assertj.core.data.Offset.offset(1e-4f));
			}
		}
	}

	@Test
	void findCandidatesQueuesExactlyTheFeaturesTheFilterPicksAsSuggestions() throws Exception {
		// corpus statistics for two features: one barely reaches a quarter of its corpus max, one is dense
		float[][] expected = reference();
		this.jdbc.update("UPDATE feature SET max_activation = 1000 WHERE sae_id = ? AND feature_index = 0", this.sae.getId());
		this.jdbc.update("UPDATE feature SET density = 0.5 WHERE sae_id = ? AND feature_index = 1", this.sae.getId());
		Float[] corpusMax = new Float[D_SAE];
		Float[] density = new Float[D_SAE];
		corpusMax[0] = 1000f;
		density[1] = 0.5f;
		List<Integer> want = new PromptFilter(0.5, 0.25, 0.05, 20).select(expected, corpusMax, density)
			.stream().map(PromptFilter.Candidate::featureIndex).sorted().toList();
		assertThat(want).as("the random SAE should give the filter something to find").isNotEmpty().doesNotContain(0, 1);

		this.sets.setPrompts(this.admin, FlagCategory.DECEPTION, String.join("\n", PROMPTS));
		SuggestionService.Outcome outcome = this.suggestions.findCandidates(this.admin, this.sae.getId());

		assertThat(outcome.promptProblem()).isNull();
		assertThat(outcome.byPrompts()).containsEntry(FlagCategory.DECEPTION, want.size());
		List<Flag> queued = this.flags.findAll().stream().filter(f -> f.getSaeId() == this.sae.getId()).toList();
		assertThat(queued).extracting(Flag::getFeatureIndex).containsExactlyInAnyOrderElementsOf(want);
		assertThat(queued).allSatisfy(f -> {
			assertThat(f.getState()).isEqualTo(FlagState.SUGGESTED);
			assertThat(f.getCategory()).isEqualTo(FlagCategory.DECEPTION);
			assertThat(f.getNote()).startsWith("Suggested by the prompt filter: fires on ").contains(" of 3 prompts");
		});
	}

	/** Max over positions after BOS of relu((x - bDec) · W_enc + b_enc), in plain Java; shape [nPrompts][dSae]. */
	private float[][] reference() throws Exception {
		float[][] out = new float[PROMPTS.size()][D_SAE];
		try (LanguageModel lm = LanguageModel.load(this.modelFile, Device.cpu()); NDManager manager = NDManager.newBaseManager()) {
			for (int p = 0; p < PROMPTS.size(); p++) {
				int[] ids = lm.tokenizer().encode(PROMPTS.get(p), true);
				float[] x = lm.run(new int[][] { ids }, null, List.of(), HOOK::equals, 1, manager).cache().get(HOOK).toFloatArray(); // [1, pos, dIn]
				for (int t = 1; t < ids.length; t++) {
					for (int f = 0; f < D_SAE; f++) {
						double pre = this.weights.bEnc()[f];
						for (int i = 0; i < D_IN; i++) {
							pre += (x[t * D_IN + i] - this.weights.bDec()[i]) * this.weights.wEnc()[i * D_SAE + f];
						}
						out[p][f] = Math.max(out[p][f], (float) Math.max(0, pre));
					}
				}
			}
		}
		return out;
	}

	/** Random standard SAE; the encoder bias spreads features between rarely and often active. */
	private static SaeParameters randomWeights() {
		Random random = new Random(5);
		float[] wEnc = new float[D_IN * D_SAE];
		float[] wDec = new float[D_SAE * D_IN];
		float[] bEnc = new float[D_SAE];
		for (int i = 0; i < wEnc.length; i++) {
			wEnc[i] = (float) (random.nextGaussian() / Math.sqrt(D_IN));
			wDec[i] = (float) (random.nextGaussian() / Math.sqrt(D_IN));
		}
		for (int f = 0; f < D_SAE; f++) {
			bEnc[f] = (float) (random.nextGaussian() * 0.5 - 0.3);
		}
		return new SaeParameters(wEnc, bEnc, wDec, new float[D_IN], null);
	}

	private static Path repo() {
		Path dir = Path.of("").toAbsolutePath();
		while (dir != null && !Files.isDirectory(dir.resolve("demo/models"))) {
			dir = dir.getParent();
		}
		return dir;
	}
}
