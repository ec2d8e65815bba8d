package dev.lumen.autointerp;

import static dev.lumen.autointerp.Windows.feature;
import static dev.lumen.autointerp.Windows.window;
import static dev.lumen.autointerp.Windows.windows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RuleSpecificityScorerTest {

	final RuleSpecificityScorer scorer = new RuleSpecificityScorer(new ConceptVocabulary(FakeConcepts.EMBEDDER));

	Explanation offline(String label) {
		return new Explanation(label, null, "heuristic", true);
	}

	@Test
	void theLabelsPatternIsReadBackFromItsText() {
		LabelPattern p = LabelPattern.parse("places (forest, lake, park) after \"the\"");
		assertThat(p.categories()).containsExactly("places");
		assertThat(p.before()).isEqualTo("the");
		assertThat(p.tokens()).isEmpty();
		LabelPattern q = LabelPattern.parse("\".\" (mostly after \"park\")");
		assertThat(q.tokens()).containsExactly(".");
		assertThat(q.before()).isNull();
		assertThat(LabelPattern.parse("\"ball\" near dog").nearWords()).containsExactly("dog");
		assertThat(LabelPattern.parse("words at the start of a line (Lily, One, The)").position()).isEqualTo("line");
		assertThat(LabelPattern.parse("window-start artefact: fires on the first token of a window (mostly \"said\")")
			.windowStart()).isTrue();
	}

	@Test
	void theRubricByRuleGivesThreeForTokenAndContextTwoForTheTokenAloneAndOneNearby() {
		LabelPattern p = LabelPattern.parse("\"come\" after \"had\"");
		ExampleWindow w = window("top", "she had come home and will come back");
		assertThat(this.scorer.score(p, w, 3)).isEqualTo(3);
		assertThat(this.scorer.score(p, w, 7)).isEqualTo(2);
		assertThat(this.scorer.score(p, w, 5)).isEqualTo(1);
		assertThat(this.scorer.score(p, window("zero", "a long way from here to there and on and on"), 1)).isZero();
	}

	@Test
	void zeroContextsAreRatedAtTheirBestMatchSoAPatternThatAlsoMatchesThereScoresLow() {
		FeatureExamples f = new FeatureExamples(1, 0, 4, List.of(),
				List.of(window("interval", "she had come*4 home"), window("interval", "they had come*2 back")),
				windows("zero", "we will come soon", "the cat sat down"));
		Scorer.Scores s = this.scorer.score(f, offline("\"come\" after \"had\""));
		assertThat(s.ratings()).extracting(Scorer.Rating::score).containsExactly(3, 3, 2, 0);
		assertThat(s.ratings()).allMatch(r -> r.rater().equals(RuleSpecificityScorer.RATER));
		assertThat(s.summary()).containsEntry("mean_active", 3.0).containsEntry("mean_zero", 1.0)
			.containsEntry("n_active", 2).containsEntry("n_zero", 2).containsEntry("zero_contexts_matching", 0.5)
			.containsEntry("rater", "rule:label-pattern");
		assertThat((String) s.summary().get("method")).contains("no language model");
	}

	@Test
	void aCategoryLabelMatchesMembersItDidNotList() {
		LabelPattern p = LabelPattern.parse("animals (cat, dog)");
		assertThat(this.scorer.score(p, window("zero", "a bird flew"), 2)).isEqualTo(3);
		assertThat(this.scorer.score(p, window("zero", "a park was big and green today"), 2)).isZero();
	}

	@Test
	void aWindowStartArtefactMatchesOnlyTheFirstToken() {
		LabelPattern p = LabelPattern.parse("window-start artefact: fires on the first token of a window (mostly \"said\")");
		assertThat(this.scorer.score(p, window("top", "said the cat"), 1)).isEqualTo(3);
		assertThat(this.scorer.score(p, window("top", "he said so"), 2)).isZero();
	}

	@Test
	void aLanguageModelsLabelIsRefusedBecauseItHasNoPatternToApply() {
		FeatureExamples f = feature(2, windows("top", "the cat*2"), windows("zero", "a hat"));
		assertThatThrownBy(() -> this.scorer.score(f, new Explanation("cats", null, "anthropic:m", false)))
			.hasMessageContaining("use --scorer specificity with a rater");
		assertThat(Set.of(this.scorer.name())).containsExactly("specificity");
	}
}
