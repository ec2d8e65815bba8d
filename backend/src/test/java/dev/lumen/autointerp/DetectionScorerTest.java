package dev.lumen.autointerp;

import static dev.lumen.autointerp.LlmExplainerTest.openAiAnswer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DetectionScorerTest {

	final StubLlmServer server = LlmExplainerTest.newServer();

	final DetectionScorer scorer = new DetectionScorer(
			new OpenAiCompatibleClient(this.server.baseUrl(), null, "rater", Duration.ofSeconds(5)),
			new RetryPolicy(2, Duration.ZERO, Duration.ZERO, d -> {
			}));

	final FeatureExamples cats = new FeatureExamples(3, 7, 4,
			Windows.windows("top", "a cat*4 sat", "the cat*3 ran", "my cat*2 slept", "one cat*1 ate"), List.of(),
			Windows.windows("zero", "a dog sat", "the bird flew", "my fish swam"));

	@AfterEach
	void stop() {
		this.server.close();
	}

	@Test
	void metricsCountTheExcerptsTheRaterGotRightWithActivatingAsPositive() throws Exception {
		List<ExampleWindow> shown = DetectionScorer.excerpts(this.cats);
		assertThat(shown).hasSize(7);
		// the rater picks the cat excerpts, misses "one cat" and wrongly picks "a dog sat"
		List<Integer> picks = new ArrayList<>();
		for (int i = 0; i < shown.size(); i++) {
			String text = String.join("", shown.get(i).tokens());
			if ((text.contains("cat") && !text.contains("one cat")) || text.contains("dog")) {
				picks.add(i + 1);
			}
		}
		this.server.answer(200, openAiAnswer("{\"matches\": " + picks + "}"));
		Scorer.Scores s = this.scorer.score(this.cats, new Explanation("cats", "d", "heuristic", true));
		// tp 3, fn 1, fp 1, tn 2
		assertThat(s.summary()).containsEntry("accuracy", 5 / 7.0).containsEntry("precision", 0.75)
			.containsEntry("recall", 0.75).containsEntry("f1", 0.75).containsEntry("n_active", 4).containsEntry("n_zero", 3);
		String prompt = this.server.requests.get(0).body();
		assertThat(prompt).doesNotContain("<<").contains("Label: cats");
	}

	@Test
	void theOrderIsShuffledButTheSameOnEveryRun() {
		assertThat(DetectionScorer.excerpts(this.cats)).isEqualTo(DetectionScorer.excerpts(this.cats));
		assertThat(DetectionScorer.excerpts(this.cats)).extracting(w -> w.peakPosition() > 0)
			.isNotEqualTo(List.of(true, true, true, true, false, false, false));
	}

	@Test
	void answersNamingExcerptsThatDoNotExistAreMalformed() throws Exception {
		this.server.answer(200, openAiAnswer("{\"matches\": [8]}")).answer(200, openAiAnswer("excerpts 1 and 2"));
		assertThatThrownBy(() -> this.scorer.score(this.cats, new Explanation("cats", "d", "heuristic", true)))
			.hasMessage("openai-compatible:rater: malformed detection answer: expected {\"matches\": [numbers 1..7]}, got: "
					+ "excerpts 1 and 2 (after 2 attempts)");
	}
}
