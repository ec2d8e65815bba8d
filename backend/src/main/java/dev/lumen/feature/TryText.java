package dev.lumen.feature;

/**
 * The outcome of "test on your own text": the text as one coloured line, or why it could not run.
 * @param line the text's tokens coloured by this feature's activation (scale: the feature's max), or null
 * @param max the largest activation on the text
 * @param truncated whether the text was cut to the probe's limits
 * @param error why the engine could not run, or null
 */
public record TryText(String text, ExampleLine line, float max, boolean truncated, String error) {

	/** @return whether the text asked for is empty (nothing to show) */
	public boolean blank() {
		return this.text == null || this.text.isBlank();
	}
}
