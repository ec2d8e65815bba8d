package dev.lumen.search;

import java.util.List;

/**
 * What a search result shows besides the label: a few tokens around the feature's strongest activation, its
 * density and its label's scores.
 * @param tokens the snippet, in order; empty when no top example is stored
 * @param density fraction of corpus tokens where it fires, or null when not measured
 * @param auroc the label's embedding AUROC (0.5 = chance), or null when not scored
 * @param specificity the label's mean specificity on activating contexts (0–3), or null when not scored
 * @param detectionF1 the label's detection F1 (0–1), or null when not scored
 */
public record FeatureSnippet(List<Token> tokens, Float density, Double auroc, Double specificity, Double detectionF1) {

	/** @return whether the label has any score */
	public boolean scored() {
		return this.auroc != null || this.specificity != null || this.detectionF1 != null;
	}

	/**
	 * A snippet token.
	 * @param text made visible, unescaped (the template escapes it)
	 * @param shade activation as a fraction of the example's max, 0 to 1, formatted for a CSS variable
	 * @param max whether it is the strongest token
	 */
	public record Token(String text, String shade, boolean max) {
	}
}
