package dev.lumen.feature;

/**
 * Another feature shown on a feature page, with the number that relates the two and its label.
 * @param score cosine similarity or co-occurrence score
 * @param label the feature's newest label, or null
 * @param href its permalink
 */
public record LinkedFeature(String saeName, int index, double score, String label, String href) {

	/** @return the score for display */
	public String shownScore() {
		return dev.lumen.display.ActivationFormat.fixed(this.score, 3);
	}
}
