package dev.lumen.autointerp;

import static dev.lumen.autointerp.Windows.feature;
import static dev.lumen.autointerp.Windows.windows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class HeuristicExplainerTest {

	final HeuristicExplainer explainer = new HeuristicExplainer();

	@Test
	void aFeatureThatFiresOnOneTokenIsLabelledWithThatTokenAndMarkedHeuristic() {
		FeatureExamples f = feature(5, windows("top", "the cat*5 sat on the mat", "a Cat*4 ran", "my cat*3 and the dog*1"),
				windows("zero", "the dog ran", "a mat"));
		Explanation e = this.explainer.explain(f);
		assertThat(e.label()).isEqualTo("\"cat\"");
		assertThat(e.heuristic()).isTrue();
		assertThat(e.explainer()).isEqualTo("heuristic");
		// mass: cat (5+4+3)/5 = 2.4, dog 0.2 → 92% and 8%
		assertThat(e.description()).contains("\"cat\" 92%, \"dog\" 8%").contains("Peaks on \"cat\" in 3 of 3 examples")
			.startsWith("Heuristic summary of 3 activating examples (no language model)");
	}

	@Test
	void aFeatureThatFiresAtTheEndOfAFixedPhraseIsLabelledWithThePhrase() {
		FeatureExamples f = feature(4, windows("top", "once upon a time*4 there", "upon a time*3 lived", "at a time*2 when",
				"one time and"), windows("zero", "a cat at a time"));
		Explanation e = this.explainer.explain(f);
		// "upon" precedes the phrase in two of three activating windows and never in the zero window
		assertThat(e.label()).isEqualTo("\"a time\" near upon");
		assertThat(e.description()).contains("commonest phrase ending at the peak: \"a time\" (3 of 3)");
	}

	@Test
	void aFeatureSpreadOverSeveralTokensListsTheThreeCarryingMostActivation() {
		FeatureExamples f = feature(3, windows("top", "he*3 said", "she*3 said", "they*2 said", "we*1 said"),
				windows("zero", "they said no", "he said yes"));
		Explanation e = this.explainer.explain(f);
		// masses 1, 1, 0.67, 0.33 of 3: no token has half; ties by name
		assertThat(e.label()).isEqualTo("\"he\" / \"she\" / \"they\"");
	}

	@Test
	void wordsNearThePeakThatAreRareInZeroWindowsAreNamedAsContext() {
		FeatureExamples f = feature(2, windows("top", "the dog chased the ball*2", "a ball*2 for the dog", "dog with red ball*1",
				"the ball*2 rolled"), windows("zero", "the ball rolled away", "a red ball and the cat", "the cat sat"));
		Explanation e = this.explainer.explain(f);
		// "dog" is near the peak in 3 of 4 activating windows and in no zero window; "the" and "red" are common there
		assertThat(e.label()).isEqualTo("\"ball\" near dog");
		assertThat(e.description()).contains("rare where the feature is zero: dog.");
	}

	@Test
	void activationOnTheBosTokenIsIgnored() {
		ExampleWindow w = new ExampleWindow(7, "top", 0, List.of("<s>", " the", " cat"), new float[] { 50, 0, 1 }, 50);
		Explanation e = this.explainer.explain(new FeatureExamples(1, 0, 1, List.of(w), List.of(), List.of()));
		assertThat(e.label()).isEqualTo("\"cat\"");
	}

	@Test
	void whitespaceTokensGetAVisibleName() {
		FeatureExamples f = feature(1, windows("top", "end .*0.1"), List.of());
		ExampleWindow newline = new ExampleWindow(9, "top", 0, List.of("<s>", " end", "\n"), new float[] { 0, 0, 1 }, 1);
		Explanation e = this.explainer.explain(new FeatureExamples(1, 0, 1, List.of(newline, f.top().get(0)), List.of(),
				windows("zero", "the end")));
		assertThat(e.label()).isEqualTo("\"⏎\"");
	}

	@Test
	void aFeatureThatNeverFiredIsRefused() {
		assertThatThrownBy(() -> this.explainer.explain(feature(0, List.of(), List.of())))
			.hasMessageContaining("never fired");
	}

	@Test
	void quotesInsideTokensAreEscapedSoTheLabelStaysReadable() {
		assertThat(HeuristicExplainer.quote("it,\"")).isEqualTo("\"it,\\\"\"");
		assertThat(HeuristicExplainer.quote("a\\b")).isEqualTo("\"a\\\\b\"");
	}
}
