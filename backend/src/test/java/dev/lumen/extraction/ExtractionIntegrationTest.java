package dev.lumen.extraction;

import static org.assertj.core.api.Assertions.assertThat;
import dev.lumen.testing.RandomSae;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.lumen.engine.model.HookNames;
import dev.lumen.engine.model.LanguageModel;
import dev.lumen.engine.sae.Sae;
import dev.lumen.testing.RepoFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole pipeline on the demo model with a small random SAE, against PostgreSQL. */
class ExtractionIntegrationTest extends ExtractionDatabaseTest {

	static final Path MODEL = RepoFiles.DEMO_MODEL;

	static final Path CORPUS = RepoFiles.HELDOUT_CORPUS;

	static final int D_SAE = 48;

	static final String HOOK = HookNames.residPost(1);

	@TempDir
	Path tmp;

	Path saeDir;

	@BeforeEach
	void setUp() throws Exception {
		this.saeDir = this.tmp.resolve("sae");
		writeRandomSae(this.saeDir, 128);
	}

	ExtractionService.Request request(String saeName, long tokens, Path corpus, Path sae) {
		ExtractionSettings settings = ExtractionSettings.defaults().withContext(32, 16).withMaxTokens(tokens)
			.withCheckpointWindows(32);
		return new ExtractionService.Request(MODEL, sae, corpus, this.modelName, saeName, settings, Device.cpu());
	}

	@Test
	void storedExamplesHistogramsAndStatsMatchARecomputationWithTheModel() throws Exception {
		ExtractionService.Outcome outcome = this.service.extract(request("sae-a", 6000, CORPUS, this.saeDir), false, p -> {
		});
		assertThat(outcome.alreadyDone()).isFalse();
		assertThat(outcome.tokens()).isGreaterThanOrEqualTo(6000);
		long saeId = saeId("sae-a");

		assertThat(this.jdbc.queryForObject("SELECT status FROM job WHERE id = ?", String.class, outcome.jobId()))
			.isEqualTo("done");
		assertThat(this.jdbc.queryForObject("SELECT count(*) FROM model_token t JOIN model m ON m.id = t.model_id "
				+ "WHERE m.name = ?", Integer.class, this.modelName)).isEqualTo(2048);
		// every feature got statistics; densities are fractions
		assertThat(this.jdbc.queryForObject("SELECT count(*) FROM feature WHERE sae_id = ? AND density BETWEEN 0 AND 1 "
				+ "AND max_activation IS NOT NULL", Integer.class, saeId)).isEqualTo(D_SAE);

		// recompute the stored top example of some features with the model and SAE directly
		List<Map<String, Object>> tops = this.jdbc.queryForList("SELECT e.feature_index, e.max_position, e.max_activation, "
				+ "e.activations, c.token_ids, f.max_activation AS feature_max FROM feature_example e "
				+ "JOIN context c ON c.id = e.context_id JOIN feature f ON f.sae_id = e.sae_id "
				+ "AND f.feature_index = e.feature_index WHERE e.sae_id = ? AND e.kind = 'top' AND e.rank = 0 "
				+ "ORDER BY e.feature_index LIMIT 6", saeId);
		assertThat(tops).isNotEmpty();
		try (LanguageModel model = LanguageModel.load(MODEL, Device.cpu());
				Sae sae = Sae.loadFromDisk(this.saeDir, Device.cpu());
				NDManager manager = NDManager.newBaseManager()) {
			for (Map<String, Object> row : tops) {
				int f = (Integer) row.get("feature_index");
				int[] tokens = ints((Array) row.get("token_ids"));
				float[] stored = floats((Array) row.get("activations"));
				assertThat(tokens[0]).isEqualTo(1); // BOS
				NDArray x = model.run(new int[][] { tokens }, null, List.of(), HOOK::equals, 1, manager).cache().get(HOOK);
				float[] all = sae.encode(x).toFloatArray(); // [1, pos, dSae]
				for (int t = 0; t < tokens.length; t++) {
					assertThat(stored[t]).as("feature %d position %d", f, t)
						.isCloseTo(all[t * D_SAE + f], org.assertj.core.data.Offset.offset(1e-4f));
				}
				int maxPos = (Integer) row.get("max_position");
				assertThat(stored[maxPos]).isEqualTo(((Number) row.get("max_activation")).floatValue());
				// rank 0 of the top examples is the feature's max over the corpus
				assertThat(((Number) row.get("max_activation")).floatValue())
					.isEqualTo(((Number) row.get("feature_max")).floatValue());
			}
		}
		// histogram counts add up to the active tokens: density × tokens
		List<Map<String, Object>> hist = this.jdbc.queryForList("SELECT h.counts, f.density FROM feature_histogram h "
				+ "JOIN feature f USING (sae_id, feature_index) WHERE h.sae_id = ?", saeId);
		for (Map<String, Object> h : hist) {
			long total = 0;
			for (Long c : (Long[]) ((Array) h.get("counts")).getArray()) {
				total += c;
			}
			assertThat((double) total).isCloseTo(((Number) h.get("density")).doubleValue() * outcome.tokens(),
					org.assertj.core.data.Offset.offset(0.5));
		}
		assertThat(this.jdbc.queryForObject("SELECT count(*) FROM feature_logit_effect WHERE sae_id = ? "
				+ "AND array_length(top_token_ids, 1) = 10", Integer.class, saeId)).isEqualTo(D_SAE);

		// the same inputs again: nothing to do
		assertThat(this.service.extract(request("sae-a", 6000, CORPUS, this.saeDir), false, p -> {
		}).alreadyDone()).isTrue();
	}

	@Test
	void aRunInterruptedAfterACheckpointResumesAndStoresWhatAnUninterruptedRunStores() {
		ExtractionService.Outcome whole = this.service.extract(request("whole", 4000, CORPUS, this.saeDir), false, p -> {
		});
		AtomicBoolean crashed = new AtomicBoolean();
		assertThatThrownBy(() -> this.service.extract(request("resumed", 4000, CORPUS, this.saeDir), false, p -> {
			if (p.pass() == 1 && p.windowsDone() >= 64 && crashed.compareAndSet(false, true)) {
				throw new IllegalStateException("simulated crash");
			}
		})).hasMessage("simulated crash");
		long jobId = this.jdbc.queryForObject("SELECT max(id) FROM job WHERE sae_id = ?", Long.class, saeId("resumed"));
		assertThat(this.jdbc.queryForObject("SELECT status FROM job WHERE id = ?", String.class, jobId)).isEqualTo("failed");
		assertThat(this.jdbc.queryForObject("SELECT checkpoint->>'next_window' FROM job WHERE id = ?", Integer.class, jobId))
			.isEqualTo(64);

		AtomicInteger firstWindow = new AtomicInteger(-1);
		ExtractionService.Outcome resumed = this.service.extract(request("resumed", 4000, CORPUS, this.saeDir), false,
				p -> firstWindow.compareAndSet(-1, p.resumedFromWindow()));
		assertThat(resumed.resumed()).isTrue();
		assertThat(resumed.jobId()).isEqualTo(jobId);
		assertThat(firstWindow.get()).isEqualTo(64);
		assertThat(resumed.tokens()).isEqualTo(whole.tokens());

		assertSameStoredResults("resumed", "whole", 0);
	}

	@Test
	void badInputsFailWithClearMessagesAndWriteNothing() throws Exception {
		Path empty = Files.writeString(this.tmp.resolve("empty.txt"), "\n<|endoftext|>\n  \n");
		assertThatThrownBy(() -> this.service.extract(request("x", 0, empty, this.saeDir), false, p -> {
		})).hasMessageContaining("holds no");

		Path latin1 = Files.write(this.tmp.resolve("latin1.txt"), "Un caf\u00e9 cr\u00e8me".getBytes(StandardCharsets.ISO_8859_1));
		assertThatThrownBy(() -> this.service.extract(request("x", 0, latin1, this.saeDir), false, p -> {
		})).hasMessageContaining("UTF-8").hasMessageContaining("latin1.txt");

		Path binary = Files.write(this.tmp.resolve("weights.txt"), new byte[] { 0, 0, 0, 1, 2, 0, 0, 'a' });
		assertThatThrownBy(() -> this.service.extract(request("x", 0, binary, this.saeDir), false, p -> {
		})).hasMessageContaining("weights.txt").hasMessageContaining("binary");

		Path otherHook = this.tmp.resolve("other-hook");
		RandomSae.write(otherHook, 128, D_SAE, 11, -0.5);
		Path cfg = otherHook.resolve("cfg.json");
		Files.writeString(cfg, Files.readString(cfg).replace(HOOK, "blocks.9.hook_resid_post")
			.replaceAll("\"hook_layer\"\\s*:\\s*1", "\"hook_layer\" : 9"));
		assertThatThrownBy(() -> this.service.extract(request("x", 0, CORPUS, otherHook), false, p -> {
		})).hasMessageContaining("blocks.9.hook_resid_post");

		Path narrow = this.tmp.resolve("narrow");
		writeRandomSae(narrow, 64);
		assertThatThrownBy(() -> this.service.extract(request("x", 0, CORPUS, narrow), false, p -> {
		})).hasMessageContaining("d_in is 64").hasMessageContaining("width 128");

		assertThat(this.models.findByName(this.modelName)).isEmpty();
	}

	@Test
	void aSecondExtractionOfTheSameSaeIsRefusedWhileOneRuns() {
		AtomicBoolean tried = new AtomicBoolean();
		AtomicBoolean refused = new AtomicBoolean();
		this.service.extract(request("busy", 1000, CORPUS, this.saeDir), true, p -> {
			if (tried.compareAndSet(false, true)) {
				try {
					this.service.extract(request("busy", 1000, CORPUS, this.saeDir), true, q -> {
					});
				}
				catch (IllegalStateException ex) {
					refused.set(ex.getMessage().contains("another extraction of SAE 'busy' is running"));
				}
			}
		});
		assertThat(refused).isTrue();
	}

	/** A random SAE of this test's width (see {@link RandomSae}). */
	static void writeRandomSae(Path dir, int dIn) throws Exception {
		RandomSae.write(dir, dIn, D_SAE, 11, -0.5);
	}

	private static int[] ints(Array array) throws Exception {
		Integer[] boxed = (Integer[]) array.getArray();
		int[] out = new int[boxed.length];
		for (int i = 0; i < out.length; i++) {
			out[i] = boxed[i];
		}
		return out;
	}

	private static float[] floats(Array array) throws Exception {
		Float[] boxed = (Float[]) array.getArray();
		float[] out = new float[boxed.length];
		for (int i = 0; i < out.length; i++) {
			out[i] = boxed[i];
		}
		return out;
	}
}
