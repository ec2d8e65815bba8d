package dev.lumen.autointerp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lumen.testing.DatabaseTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Batch labelling against PostgreSQL, on rows seeded like extraction stores them: feature 0 fires on "cat",
 * feature 1 on "dog", feature 2 never fired.
 */
class AutointerpServiceTest extends DatabaseTest {

	static final String[] VOCAB = { "<unk>", "<s>", " the", " cat", " dog", " sat", " ran", " mat", " park", "." };

	@Autowired
	AutointerpService service;

	@Autowired
	FeatureExampleReader reader;

	@Autowired
	JdbcTemplate jdbc;

	String modelName;

	long saeId;

	@BeforeEach
	void seed() {
		this.modelName = "autointerp-test-" + Long.toHexString(System.nanoTime());
		long modelId = this.jdbc.queryForObject("INSERT INTO model (name, display_name, source, architecture, d_model, "
				+ "n_layers, vocab_size) VALUES (?, 'test', 'test', 'LlamaForCausalLM', 2, 1, ?) RETURNING id", Long.class,
				this.modelName, VOCAB.length);
		for (int i = 0; i < VOCAB.length; i++) {
			this.jdbc.update("INSERT INTO model_token (model_id, token_id, text) VALUES (?, ?, ?)", modelId, i, VOCAB[i]);
		}
		this.saeId = this.jdbc.queryForObject("INSERT INTO sae (model_id, name, hook_name, hook_layer, d_in, d_sae, "
				+ "architecture, source, vector_index) VALUES (?, 'sae', 'blocks.0.hook_resid_post', 0, 2, 3, 'standard', "
				+ "'test', 'VECTOR') RETURNING id", Long.class, modelId);
		feature(modelId, 0, 5, new int[][] { { 1, 2, 3, 5 }, { 1, 3, 6, 9 }, { 1, 2, 4, 6, 3 } },
				new float[][] { { 0, 0, 5, 0 }, { 0, 4, 0, 0 }, { 0, 0, 0, 0, 3 } });
		feature(modelId, 1, 2, new int[][] { { 1, 2, 4, 6 }, { 1, 4, 8, 9 } },
				new float[][] { { 0, 0, 2, 0.5f }, { 0, 1.5f, 0, 0 } });
		this.jdbc.update("INSERT INTO feature (sae_id, feature_index, density, max_activation, mean_activation) "
				+ "VALUES (?, 2, 0, 0, 0)", this.saeId);
		this.jdbc.update("INSERT INTO feature_decoder (sae_id, feature_index, decoder) VALUES (?, 2, '[0,1]')", this.saeId);
		// a zero window for feature 0 that has dog and the
		long zero = context(modelId, new int[] { 1, 2, 4, 6 });
		this.jdbc.update("INSERT INTO feature_example (sae_id, feature_index, kind, rank, context_id, max_position, "
				+ "max_activation, activations) VALUES (?, 0, 'zero', 0, ?, 0, 0, '{0,0,0,0}')", this.saeId, zero);
	}

	private void feature(long modelId, int index, float max, int[][] tokens, float[][] acts) {
		this.jdbc.update("INSERT INTO feature (sae_id, feature_index, density, max_activation, mean_activation) "
				+ "VALUES (?, ?, 0.1, ?, 1)", this.saeId, index, max);
		this.jdbc.update("INSERT INTO feature_decoder (sae_id, feature_index, decoder) VALUES (?, ?, '[1,0]')", this.saeId,
				index);
		for (int r = 0; r < tokens.length; r++) {
			long context = context(modelId, tokens[r]);
			float m = 0;
			int pos = 0;
			Float[] boxed = new Float[acts[r].length];
			for (int t = 0; t < boxed.length; t++) {
				boxed[t] = acts[r][t];
				if (acts[r][t] > m) {
					m = acts[r][t];
					pos = t;
				}
			}
			int p = pos;
			float mm = m;
			int rank = r;
			this.jdbc.update(c -> {
				var st = c.prepareStatement("INSERT INTO feature_example (sae_id, feature_index, kind, rank, context_id, "
						+ "max_position, max_activation, activations) VALUES (?, ?, 'top', ?, ?, ?, ?, ?)");
				st.setLong(1, this.saeId);
				st.setInt(2, index);
				st.setInt(3, rank);
				st.setLong(4, context);
				st.setInt(5, p);
				st.setFloat(6, mm);
				st.setArray(7, c.createArrayOf("real", boxed));
				return st;
			});
		}
	}

	private long context(long modelId, int[] tokens) {
		Integer[] boxed = new Integer[tokens.length];
		for (int i = 0; i < tokens.length; i++) {
			boxed[i] = tokens[i];
		}
		return this.jdbc.queryForObject("INSERT INTO context (model_id, corpus, doc_index, start_pos, token_ids) "
				+ "VALUES (?, 'test', 0, 0, ?::integer[]) RETURNING id", Long.class, modelId,
				"{" + String.join(",", List.of(boxed).stream().map(String::valueOf).toList()) + "}");
	}

	@AfterEach
	void cleanUp() {
		this.jdbc.update("DELETE FROM model WHERE name = ?", this.modelName);
	}

	AutointerpService.Request request(Explainer explainer, boolean force) {
		return new AutointerpService.Request(this.modelName, "sae", FeatureSelection.parse("all"), explainer, List.of(), force, 2);
	}

	List<Map<String, Object>> labels() {
		return this.jdbc.queryForList("SELECT feature_index, label, explainer, is_heuristic FROM feature_label "
				+ "WHERE sae_id = ? ORDER BY feature_index, id", this.saeId);
	}

	@Test
	void theReaderReturnsTokensAsDisplayStringsAlignedWithActivations() {
		FeatureExamples f = this.reader.load(this.saeId, 0);
		assertThat(f.maxActivation()).isEqualTo(5);
		assertThat(f.top()).hasSize(3);
		assertThat(f.top().get(0).tokens()).containsExactly("<s>", " the", " cat", " sat");
		assertThat(f.top().get(0).activations()).containsExactly(0, 0, 5, 0);
		assertThat(f.zero()).hasSize(1);
		assertThat(this.reader.load(this.saeId, 2).hasActivations()).isFalse();
	}

	@Test
	void theHeuristicBatchLabelsFiringFeaturesMarksThemAndARerunSkipsThem() {
		List<AutointerpProgress> seen = new ArrayList<>();
		AutointerpService.Outcome first = this.service.run(request(new HeuristicExplainer(), false), seen::add);
		assertThat(first.labelled()).isEqualTo(2);
		assertThat(first.noExamples()).isEqualTo(1);
		assertThat(first.failed()).isZero();
		assertThat(seen).hasSize(3);
		assertThat(seen.get(2).fraction()).isEqualTo(1.0);
		assertThat(labels()).containsExactly(
				Map.of("feature_index", 0, "label", "\"cat\"", "explainer", "heuristic", "is_heuristic", true),
				Map.of("feature_index", 1, "label", "\"dog\"", "explainer", "heuristic", "is_heuristic", true));
		assertThat(this.jdbc.queryForObject("SELECT status || ' ' || progress FROM job WHERE id = ?", String.class,
				first.jobId())).isEqualTo("done 1");

		AutointerpService.Outcome again = this.service.run(request(new HeuristicExplainer(), false), p -> {
		});
		assertThat(again.skipped()).isEqualTo(2);
		assertThat(again.labelled()).isZero();
		assertThat(labels()).hasSize(2);

		AutointerpService.Outcome forced = this.service.run(request(new HeuristicExplainer(), true), p -> {
		});
		assertThat(forced.labelled()).isEqualTo(2);
		assertThat(labels()).hasSize(4);
	}

	@Test
	void aFeatureWhoseExplanationFailsStoresNothingAndTheRerunRetriesOnlyIt() {
		AtomicBoolean failOnce = new AtomicBoolean(true);
		Explainer flaky = new Explainer() {
			@Override
			public String name() {
				return "flaky";
			}

			@Override
			public Explanation explain(FeatureExamples examples) {
				if (examples.featureIndex() == 1 && failOnce.getAndSet(false)) {
					throw new IllegalStateException("provider answered 500 three times");
				}
				return new Explanation("label " + examples.featureIndex(), null, "flaky", false);
			}
		};
		AutointerpService.Outcome first = this.service.run(request(flaky, false), p -> {
		});
		assertThat(first.failed()).isEqualTo(1);
		assertThat(first.firstError()).isEqualTo("feature 1: provider answered 500 three times");
		assertThat(labels()).extracting(m -> m.get("feature_index")).containsExactly(0);
		assertThat(this.jdbc.queryForObject("SELECT status FROM job WHERE id = ?", String.class, first.jobId()))
			.isEqualTo("failed");

		AutointerpService.Outcome retry = this.service.run(request(flaky, false), p -> {
		});
		assertThat(retry.skipped()).isEqualTo(1);
		assertThat(retry.labelled()).isEqualTo(1);
		assertThat(labels()).extracting(m -> m.get("label")).containsExactly("label 0", "label 1");
	}

	@Test
	void unknownSaesAndFeaturesAreNamedInTheError() {
		assertThatThrownBy(() -> this.service.run(new AutointerpService.Request(this.modelName, "nope",
				FeatureSelection.parse("0"), new HeuristicExplainer(), List.of(), false, 1), p -> {
				})).hasMessageContaining("no SAE 'nope' of model '" + this.modelName + "'");
		assertThatThrownBy(() -> this.service.run(new AutointerpService.Request(this.modelName, "sae",
				FeatureSelection.parse("0-3"), new HeuristicExplainer(), List.of(), false, 1), p -> {
				})).hasMessage("feature 3 does not exist: the SAE has 3 features");
	}

	@Test
	void anLlmBatchStoresTheModelsLabelsAndNothingForAFeatureWhoseAnswersStayedMalformed() throws Exception {
		try (StubLlmServer server = new StubLlmServer()) {
			// concurrency 1: features are asked in order 0, 1
			server.answer(200, LlmExplainerTest.anthropicAnswer("{\"label\": \"cat\", \"description\": \"The word cat.\"}"));
			for (int i = 0; i < 2; i++) {
				server.answer(200, LlmExplainerTest.anthropicAnswer("I think this feature is about dogs"));
			}
			LlmExplainer llm = new LlmExplainer(new AnthropicClient(server.baseUrl(), "k", "claude-test",
					java.time.Duration.ofSeconds(5)), new RetryPolicy(2, java.time.Duration.ZERO, java.time.Duration.ZERO, d -> {
					}));
			AutointerpService.Outcome outcome = this.service.run(new AutointerpService.Request(this.modelName, "sae",
					FeatureSelection.parse("0-2"), llm, List.of(), false, 1), p -> {
					});
			assertThat(outcome.labelled()).isEqualTo(1);
			assertThat(outcome.failed()).isEqualTo(1);
			assertThat(outcome.firstError()).startsWith("feature 1: anthropic:claude-test: malformed answer");
			assertThat(labels()).containsExactly(Map.of("feature_index", 0, "label", "cat", "explainer",
					"anthropic:claude-test", "is_heuristic", false));
			assertThat(this.jdbc.queryForObject("SELECT description FROM feature_label WHERE sae_id = ?", String.class,
					this.saeId)).isEqualTo("The word cat.");
			// the dead feature 2 cost no call
			assertThat(server.requests).hasSize(3);
			// every call is in the audit trail with its prompt and raw answer; the rejected ones say why
			List<Map<String, Object>> calls = this.jdbc.queryForList("SELECT feature_index, label_id IS NOT NULL AS labelled, "
					+ "purpose, client, http_status, response, error, user_prompt FROM autointerp_call WHERE sae_id = ? "
					+ "AND job_id = ? ORDER BY id", this.saeId, outcome.jobId());
			assertThat(calls).extracting(c -> c.get("feature_index") + " " + c.get("labelled") + " " + c.get("purpose") + " "
					+ c.get("client") + " " + c.get("http_status"))
				.containsExactly("0 true explain anthropic:claude-test 200", "1 false explain anthropic:claude-test 200",
						"1 false explain anthropic:claude-test 200");
			assertThat(calls.get(0).get("error")).isNull();
			assertThat((String) calls.get(0).get("response")).contains("The word cat.");
			assertThat((String) calls.get(0).get("user_prompt")).contains("<< cat|10>>");
			assertThat((String) calls.get(2).get("error")).startsWith("anthropic:claude-test: malformed answer: it is not a "
					+ "JSON object: I think this feature is about dogs");
		}
	}

	private void addIntervalSamplesOfFeature0() {
		// the top windows again as interval samples: activations 5, 4, 3 of max 5 fall in intervals 9, 7, 5
		this.jdbc.update("INSERT INTO feature_example (sae_id, feature_index, kind, interval_index, rank, context_id, "
				+ "max_position, max_activation, activations) SELECT sae_id, feature_index, 'interval', "
				+ "(ceil(10 * max_activation / 5) - 1)::smallint, 0, context_id, max_position, max_activation, activations "
				+ "FROM feature_example WHERE sae_id = ? AND feature_index = 0 AND kind = 'top'", this.saeId);
	}

	@Test
	void specificityRatingsAreStoredWithTheLabelAndSummarisedInItsScores() throws Exception {
		addIntervalSamplesOfFeature0();
		try (StubLlmServer server = new StubLlmServer()) {
			for (int score : new int[] { 2, 3, 3, 0 }) {
				server.answer(200, LlmExplainerTest.openAiAnswer("{\"score\": " + score + "}"));
			}
			SpecificityScorer scorer = new SpecificityScorer(new OpenAiCompatibleClient(server.baseUrl(), null, "rater",
					java.time.Duration.ofSeconds(5)), new RetryPolicy(1, java.time.Duration.ZERO, java.time.Duration.ZERO, d -> {
					}));
			AutointerpService.Outcome outcome = this.service.run(new AutointerpService.Request(this.modelName, "sae",
					FeatureSelection.parse("0"), new HeuristicExplainer(), List.of(scorer), false, 1), p -> {
					});
			assertThat(outcome.labelled()).isEqualTo(1);
			List<Map<String, Object>> ratings = this.jdbc.queryForList("SELECT r.activation, r.score, r.rater FROM "
					+ "specificity_rating r JOIN feature_label l ON l.id = r.label_id WHERE l.sae_id = ? ORDER BY r.activation",
					this.saeId);
			assertThat(ratings).containsExactly(Map.of("activation", 0f, "score", 0, "rater", "openai-compatible:rater"),
					Map.of("activation", 3f, "score", 2, "rater", "openai-compatible:rater"),
					Map.of("activation", 4f, "score", 3, "rater", "openai-compatible:rater"),
					Map.of("activation", 5f, "score", 3, "rater", "openai-compatible:rater"));
			assertThat(this.jdbc.queryForObject("SELECT (scores->'specificity'->>'mean_active')::float8 FROM feature_label "
					+ "WHERE sae_id = ?", Double.class, this.saeId)).isCloseTo(8 / 3.0, org.assertj.core.data.Offset.offset(1e-9));
		}
	}

	@Test
	void aScorerThatFailsLeavesNeitherALabelNorRatings() throws Exception {
		addIntervalSamplesOfFeature0();
		try (StubLlmServer server = new StubLlmServer()) {
			server.answer(200, LlmExplainerTest.openAiAnswer("{\"score\": 2}"));
			server.answer(200, LlmExplainerTest.openAiAnswer("three"));
			SpecificityScorer scorer = new SpecificityScorer(new OpenAiCompatibleClient(server.baseUrl(), null, "rater",
					java.time.Duration.ofSeconds(5)), new RetryPolicy(1, java.time.Duration.ZERO, java.time.Duration.ZERO, d -> {
					}));
			AutointerpService.Outcome outcome = this.service.run(new AutointerpService.Request(this.modelName, "sae",
					FeatureSelection.parse("0"), new HeuristicExplainer(), List.of(scorer), false, 1), p -> {
					});
			assertThat(outcome.failed()).isEqualTo(1);
			assertThat(labels()).isEmpty();
			assertThat(this.jdbc.queryForObject("SELECT count(*) FROM specificity_rating r JOIN feature_label l "
					+ "ON l.id = r.label_id WHERE l.sae_id = ?", Integer.class, this.saeId)).isZero();
		}
	}

	@Test
	void theCommandLabelsOfflineReportsTheCountsAndRefusesUnknownExplainers() {
		dev.lumen.testing.TestDatabase.Target db = dev.lumen.testing.TestDatabase.target();
		String[] spring = db.springArguments().toArray(String[]::new);
		java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
		java.io.PrintStream stdout = System.out;
		int exit;
		System.setOut(new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
		try {
			exit = dev.lumen.LumenMain.commandLine().execute(concat(new String[] { "autointerp", "--model-name", this.modelName,
					"--sae-name", "sae", "--features", "0-2" }, spring));
		}
		finally {
			System.setOut(stdout);
		}
		assertThat(exit).isZero();
		assertThat(out.toString()).contains("with heuristic: 3 selected, 2 labelled, 0 already labelled, 1 never fire, "
				+ "0 failed (job ");
		assertThat(labels()).hasSize(2);

		java.io.StringWriter err = new java.io.StringWriter();
		picocli.CommandLine cli = dev.lumen.LumenMain.commandLine();
		cli.setErr(new java.io.PrintWriter(err, true));
		assertThat(cli.execute(concat(new String[] { "autointerp", "--model-name", this.modelName, "--sae-name", "sae",
				"--explainer", "gpt" }, spring))).isNotZero();
		assertThat(err.toString()).contains("unknown explainer 'gpt'; available: heuristic, anthropic, openai");
	}

	private static String[] concat(String[] a, String[] b) {
		String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
		System.arraycopy(b, 0, all, a.length, b.length);
		return all;
	}

	@Test
	void aDryRunCountsTheCallsARunWouldMakeAndWritesNothing() throws Exception {
		addIntervalSamplesOfFeature0();
		try (StubLlmServer server = new StubLlmServer()) {
			OpenAiCompatibleClient client = new OpenAiCompatibleClient(server.baseUrl(), null, "m", java.time.Duration.ofSeconds(5));
			RetryPolicy once = new RetryPolicy(1, java.time.Duration.ZERO, java.time.Duration.ZERO, d -> {
			});
			AutointerpService.Plan plan = this.service.plan(new AutointerpService.Request(this.modelName, "sae",
					FeatureSelection.parse("all"), new LlmExplainer(client, once), List.of(new SpecificityScorer(client, once)),
					false, 1));
			// features 0 and 1 fired, 2 did not; feature 0 has 3 interval samples and 1 zero window to rate
			assertThat(plan.toLabel()).isEqualTo(2);
			assertThat(plan.noExamples()).isEqualTo(1);
			assertThat(plan.explain().calls()).isEqualTo(2);
			assertThat(plan.score().calls()).isEqualTo(4);
			assertThat(plan.explain().inputChars()).isEqualTo(2L * ExplanationPrompt.SYSTEM.length()
					+ ExplanationPrompt.user(this.reader.load(this.saeId, 0)).length()
					+ ExplanationPrompt.user(this.reader.load(this.saeId, 1)).length());
			assertThat(server.requests).isEmpty();
			assertThat(labels()).isEmpty();
			assertThat(this.service.plan(new AutointerpService.Request(this.modelName, "sae", FeatureSelection.parse("all"),
					new HeuristicExplainer(), List.of(), false, 1)).explain().calls()).isZero();
		}
	}

	@Test
	void oneFeatureCanBeLabelledOnItsOwnAndADeadOneIsRefused() {
		long id = this.service.labelFeature(this.modelName, "sae", 1, new HeuristicExplainer(), List.of());
		assertThat(this.jdbc.queryForObject("SELECT label FROM feature_label WHERE id = ?", String.class, id))
			.isEqualTo("\"dog\"");
		assertThatThrownBy(() -> this.service.labelFeature(this.modelName, "sae", 2, new HeuristicExplainer(), List.of()))
			.hasMessageContaining("feature 2 never fired");
		assertThatThrownBy(() -> this.service.labelFeature(this.modelName, "sae", 3, new HeuristicExplainer(), List.of()))
			.hasMessage("feature 3 does not exist: the SAE has 3 features");
	}
}
