package dev.lumen.autointerp;

import java.util.List;
import java.util.Map;

/** Measures how well an explanation fits a feature's examples. Implementations must be safe to call from several threads. */
public interface Scorer {

	/** @return the key of its summary in {@code feature_label.scores} */
	String name();

	Scores score(FeatureExamples examples, Explanation explanation);

	/** @return the language-model calls {@link #score} makes for these examples, for a label of typical length */
	CallEstimate estimate(FeatureExamples examples);

	/**
	 * @param summary stored under {@link #name()} in {@code feature_label.scores}
	 * @param ratings stored in {@code specificity_rating}, one per context (may be empty)
	 */
	record Scores(Map<String, Object> summary, List<Rating> ratings) {

		public Scores {
			// summaries may hold nulls (nothing rated), which Map.copyOf refuses
			summary = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(summary));
			ratings = List.copyOf(ratings);
		}
	}

	/** @param activation the feature's max in the rated context; @param score 0..3 */
	record Rating(long contextId, float activation, int score, String rater) {

		public Rating {
			if (score < 0 || score > 3) {
				throw new IllegalArgumentException("a rating is 0 to 3, got " + score);
			}
		}
	}
}
