package dev.lumen.autointerp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The offline MiniLM scorer: AUROC against hand-counted cases, and the real bundled model on an obvious feature. */
class EmbeddingScorerTest {

	@Test
	void aurocIsTheShareOfPositiveNegativePairsInTheRightOrderWithTiesAsHalf() {
		assertThat(EmbeddingScorer.auroc(new double[] { 0.9, 0.8 }, new double[] { 0.1, 0.2 })).isEqualTo(1.0);
		assertThat(EmbeddingScorer.auroc(new double[] { 0.1 }, new double[] { 0.9 })).isEqualTo(0.0);
		// pairs: (0.5 vs 0.5) tie, (0.5 vs 0.2) win, (0.1 vs 0.5) loss, (0.1 vs 0.2) loss → 1.5 / 4
		assertThat(EmbeddingScorer.auroc(new double[] { 0.5, 0.1 }, new double[] { 0.5, 0.2 })).isEqualTo(0.375);
	}

	@Test
	void snippetsAreCentredOnThePeakAndSkipBos() {
		ExampleWindow w = Windows.window("top",
				"a b c d e f g h i j k l m n o p q r s t u v w x y z*1 aa bb cc dd ee ff gg hh ii jj kk");
		// peak at position 26 ("z"): positions 18..34
		assertThat(EmbeddingScorer.snippet(w)).isEqualTo("r s t u v w x y z aa bb cc dd ee ff gg hh");
	}

	@Test
	void theBundledModelSeparatesAnimalSnippetsFromFinanceOnesForAnAnimalLabel() {
		FeatureExamples f = new FeatureExamples(1, 0, 3,
				Windows.windows("top", "the little cat*3 purred on the sofa", "a kitten*2 chased the mouse",
						"her dog*2 barked at the cat"),
				List.of(), Windows.windows("zero", "interest rates rose and the bank raised its loan fees",
						"the stock market fell as investors sold shares", "quarterly tax payments are due in April"));
		Scorer.Scores s = new EmbeddingScorer().score(f, new Explanation("pets such as cats and dogs", "d", "heuristic", true));
		assertThat((Double) s.summary().get("auroc")).isCloseTo(1.0, within(1e-9));
		assertThat(s.summary()).containsEntry("n_active", 3).containsEntry("n_zero", 3)
			.containsEntry("model", "all-minilm-l6-v2-q");
		// the same snippets against a finance label: the order flips
		Scorer.Scores flipped = new EmbeddingScorer().score(f, new Explanation("banking and money", "d", "heuristic", true));
		assertThat((Double) flipped.summary().get("auroc")).isCloseTo(0.0, within(1e-9));
	}
}
