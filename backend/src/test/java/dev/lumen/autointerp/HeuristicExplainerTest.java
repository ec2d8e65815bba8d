package dev.lumen.autointerp;

import static dev.lumen.autointerp.Windows.feature;
import static dev.lumen.autointerp.Windows.windows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HeuristicExplainerTest {

	final HeuristicExplainer explainer = new HeuristicExplainer(FakeConcepts.EMBEDDER);

	@Test
	void aFeatureThatFiresOnOneTokenIsLabelledWithThatTokenAndMarkedHeuristic() {
		FeatureExamples f = feature(5, windows("top", "the cat*5 sat on the mat", "a Cat*4 ran", "my cat*3 and the dog*1"),
				windows("zero", "the dog ran", "a mat"));
		Explanation e = this.explainer.explain(f);
		assertThat(e.label()).isEqualTo("\"cat\"");
		assertThat(e.heuristic()).isTrue();
		assertThat(e.explainer()).isEqualTo("heuristic");
		// mass, squared: cat 1 + 0.64 + 0.36 = 2, dog 0.04 → 98% and 2%
		assertThat(e.description()).contains("\"cat\" 98%, \"dog\" 2%").contains("Peaks on \"cat\" in 3 of 3 examples")
			.contains("\"cat\" fires in 3 of its 3 occurrences")
			.startsWith("Heuristic summary of 3 activating examples (no language model)");
	}

	@Test
	void aTokenThatFiresOnlyAfterOneWordIsLabelledWithThatPrecedingWord() {
		// "come" fires after "had" and stays silent after "will" and "to": the context decides, not the token
		FeatureExamples f = feature(4, windows("top", "she had come*4 home", "they had come*3 back", "he had come*2 in",
				"we will come here", "to come along"), windows("zero", "you will come soon", "time to come now"));
		assertThat(this.explainer.explain(f).label()).isEqualTo("\"come\" after \"had\"");
	}

	@Test
	void differentNounsAfterTheSameWordAreNamedByTheirCategoryAndThatWord() {
		FeatureExamples f = feature(3, windows("top", "went to the park*3 today", "swam in the lake*3 again",
				"ran to the field*2 fast", "walked in the forest*3 alone", "sat by the beach*2 with"),
				windows("zero", "a park was big", "the dog ran"));
		assertThat(this.explainer.explain(f).label()).isEqualTo("places (forest, lake, park) after \"the\"");
	}

	@Test
	void aSharedCategoryWithoutSharedContextIsNamedByTheCategory() {
		FeatureExamples f = feature(3, windows("top", "a cat*3 sat", "my dog*3 ran", "one bird*2 sang", "big bear*3 slept"),
				windows("zero", "a hat sat"));
		assertThat(this.explainer.explain(f).label()).isEqualTo("animals (bear, cat, dog)");
	}

	@Test
	void twoUnrelatedGroupsOfTokensAreSplitAsPolysemantic() {
		FeatureExamples f = feature(3, windows("top", "a cat*3 sat", "one red*3 hat", "my dog*3 ran", "the blue*3 sky"),
				windows("zero", "a hat sat"));
		assertThat(this.explainer.explain(f).label()).isEqualTo("animals (cat, dog) / colours (blue, red)");
	}

	@Test
	void peaksOnTheFirstTokenOfAWindowAreCalledAWindowStartArtefact() {
		FeatureExamples f = feature(4, windows("top", "said*4 the cat", "was*3 a dog", "said*3 no", "he said*1 so"),
				windows("zero", "a hat sat"));
		assertThat(this.explainer.explain(f).label())
			.isEqualTo("window-start artefact: fires on the first token of a window (mostly \"said\"), not on a pattern in the text");
	}

	@Test
	void peaksAtTheStartOfLinesAreNamedByThatPosition() {
		List<ExampleWindow> top = new ArrayList<>();
		String[] words = { " Once", " The", " One", " Lily" };
		for (int i = 0; i < words.length; i++) {
			top.add(new ExampleWindow(100 + i, "top", 0, List.of("<s>", " end", ".", "\n", words[i], " day"),
					new float[] { 0, 0, 0, 0, 2 + i, 0 }, 2 + i));
		}
		FeatureExamples f = new FeatureExamples(1, 0, 5, top, List.of(), windows("zero", "a hat sat"));
		assertThat(this.explainer.explain(f).label()).isEqualTo("words at the start of a line (Lily, One, The)");
	}

	@Test
	void aFeatureSpreadOverUnrelatedTokensSaysItIsMixed() {
		FeatureExamples f = feature(3, windows("top", "he zz*3", "she qq*3", "it xx*3", "we ww*3", "you vv*3"),
				windows("zero", "they said no", "he said yes"));
		// no category, no shared context or position: the three heaviest tokens, marked as a mix
		assertThat(this.explainer.explain(f).label()).isEqualTo("mixed: \"qq\", \"vv\", \"ww\"");
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
		ExampleWindow newline = new ExampleWindow(9, "top", 0, List.of("<s>", " end", "\n"), new float[] { 0, 0, 1 }, 1);
		ExampleWindow other = new ExampleWindow(10, "top", 0, List.of("<s>", " so", " end", "\n"), new float[] { 0, 0, 0, 1 }, 1);
		Explanation e = this.explainer.explain(new FeatureExamples(1, 0, 1, List.of(newline, other), List.of(),
				windows("zero", "the end")));
		assertThat(e.label()).startsWith("\"⏎\"");
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

	@Test
	void closedWordClassesAreRecognisedByRule() {
		assertThat(ConceptVocabulary.closedClass("she")).isEqualTo("pronouns");
		assertThat(ConceptVocabulary.closedClass("jumped")).isEqualTo("past-tense verbs");
		assertThat(ConceptVocabulary.closedClass("running")).isEqualTo("-ing forms");
		assertThat(ConceptVocabulary.closedClass(",")).isEqualTo("punctuation");
		assertThat(ConceptVocabulary.closedClass("red")).isNull();
		assertThat(Map.of("bed", ConceptVocabulary.closedClass("bed") == null)).containsEntry("bed", true);
	}
}
