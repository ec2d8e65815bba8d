package dev.lumen.feature;

import dev.lumen.display.ActivationFormat;
import dev.lumen.display.BarChart;

import dev.lumen.sae.ResolvedSae;
import java.util.List;

/**
 * Everything a feature page shows, assembled by {@link FeatureService}.
 * @param label newest label, or null ("no label yet")
 * @param activationChart null when extraction stored no histogram
 * @param specificityChart null when there is no label; empty when the label has not been scored yet
 * @param siblingNeighbours nearest features in every other SAE on the same model and hook
 */
public record FeaturePage(ResolvedSae sae, int index, FeatureStats stats, FeatureLabel label, BarChart activationChart,
		BarChart specificityChart, List<ExampleLine> topExamples, List<IntervalGroup> intervals,
		List<ExampleLine> zeroExamples, List<LogitToken> positiveLogits, List<LogitToken> negativeLogits,
		List<LinkedFeature> cooccurring, List<LinkedFeature> neighbours, List<SiblingNeighbours> siblingNeighbours) {

	/**
	 * Examples sampled from one quantile interval of the activation range.
	 * @param lines the examples, or null when not loaded with the page (htmx loads them when opened)
	 */
	public record IntervalGroup(int intervalIndex, String range, int count, List<ExampleLine> lines) {

		/** @return whether the examples are part of the page */
		public boolean loaded() {
			return this.lines != null;
		}
	}

	/** The features nearest to this one in another SAE on the same hook. */
	public record SiblingNeighbours(ResolvedSae sae, List<LinkedFeature> features) {
	}

	/** @return e.g. "tinystories-1m / res-1-1k / 42" */
	public String title() {
		return this.sae.modelName() + " / " + this.sae.saeName() + " / " + this.index;
	}

	/** @return the label, or a neutral phrase for unlabelled features, for titles and link previews */
	public String headline() {
		return this.label != null ? this.label.label() : "Feature " + this.index + " (no label yet)";
	}

	/** @return one plain sentence for link previews (OpenGraph description) */
	public String summary() {
		StringBuilder s = new StringBuilder();
		if (this.label != null && this.label.description() != null && !this.label.description().isBlank()) {
			s.append(this.label.description().strip()).append(' ');
		}
		s.append("Feature ").append(this.index).append(" of SAE ").append(this.sae.saeName()).append(" on ")
			.append(this.sae.modelDisplayName()).append(" (").append(this.sae.sae().getHookName()).append(')');
		if (this.stats.density() != null) {
			s.append(", density ").append(ActivationFormat.percent(this.stats.density()));
		}
		if (this.stats.maxActivation() != null) {
			s.append(", max activation ").append(ActivationFormat.format(this.stats.maxActivation()));
		}
		return s.append('.').toString();
	}
}
