package dev.lumen.autointerp;

import static dev.lumen.autointerp.LlmExplainerTest.openAiAnswer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SpecificityScorerTest {

	final StubLlmServer server = LlmExplainerTest.newServer();

	final SpecificityScorer scorer = new SpecificityScorer(
			new OpenAiCompatibleClient(this.server.baseUrl(), null, "rater", Duration.ofSeconds(5)),
			new RetryPolicy(2, Duration.ZERO, Duration.ZERO, d -> {
			}));

	final Explanation label = new Explanation("the word cat", "d", "heuristic", true);

	@AfterEach
	void stop() {
		this.server.close();
	}

	static ExampleWindow interval(long id, int index, String text) {
		ExampleWindow w = Windows.window("interval", text);
		return new ExampleWindow(id, "interval", index, w.tokens(), w.activations(), w.maxActivation());
	}

	@Test
	void everyContextIsRatedWithItsPeakHighlightedAndTheSummaryGroupsByActivation() throws Exception {
		FeatureExamples f = new FeatureExamples(1, 0, 10, List.of(), List.of(interval(11, 9, "a cat*10 sat"),
				interval(12, 1, "my cat*1.5 ran"), interval(13, 1, "the kitten*1.2 ate"), interval(14, 1, "a dog*1.1 ran")),
				List.of(new ExampleWindow(20, "zero", 0, List.of("<s>", " the", " dog", " barked"), new float[4], 0)));
		for (int score : new int[] { 3, 2, 3, 0 }) {
			this.server.answer(200, openAiAnswer("{\"score\": " + score + "}"));
		}
		Scorer.Scores scores = this.scorer.score(f, this.label);

		// two per interval: ids 12 and 13 of interval 1, then 11 of interval 9, then the zero context
		assertThat(scores.ratings()).containsExactly(new Scorer.Rating(12, 1.5f, 3, "openai-compatible:rater"),
				new Scorer.Rating(13, 1.2f, 2, "openai-compatible:rater"), new Scorer.Rating(11, 10, 3, "openai-compatible:rater"),
				new Scorer.Rating(20, 0, 0, "openai-compatible:rater"));
		List<String> prompts = this.server.requests.stream()
			.map(r -> {
				try {
					return new ObjectMapper().readTree(r.body()).path("messages").path(1).path("content").asText();
				}
				catch (Exception ex) {
					throw new IllegalStateException(ex);
				}
			})
			.toList();
		assertThat(prompts.get(0)).startsWith("Label: the word cat\n").contains(" my<< cat>> ran");
		// the zero context's middle token is highlighted, so the highlight does not give the answer away
		assertThat(prompts.get(3)).contains(" the<< dog>> barked");

		Map<String, Object> summary = scores.summary();
		assertThat(summary.get("mean_active")).isEqualTo((3 + 2 + 3) / 3.0);
		assertThat(summary.get("mean_zero")).isEqualTo(0.0);
		assertThat(summary.get("n_active")).isEqualTo(3);
		// 1.5 and 1.2 of max 10 are in the second tenth (0.1, 0.2]; 10 in the last
		assertThat((List<?>) summary.get("mean_by_activation_tenth")).isEqualTo(Arrays.asList(null, 2.5, null, null, null,
				null, null, null, null, 3.0));
	}

	@Test
	void ratingsOutsideTheRubricAreRejected() throws Exception {
		this.server.answer(200, openAiAnswer("{\"score\": 4}")).answer(200, openAiAnswer("3 - clean match"));
		FeatureExamples f = new FeatureExamples(1, 0, 1, List.of(), List.of(interval(1, 9, "a cat*1 sat")), List.of());
		assertThatThrownBy(() -> this.scorer.score(f, this.label))
			.hasMessage("openai-compatible:rater: malformed rating: expected {\"score\": 0..3}, got: 3 - clean match "
					+ "(after 2 attempts)");
		assertThat(this.scorer.parse("```json\n{\"score\": 2}\n```")).isEqualTo(2);
		assertThatThrownBy(() -> this.scorer.parse("{\"score\": 2.5}")).hasMessageContaining("malformed rating");
	}
}
