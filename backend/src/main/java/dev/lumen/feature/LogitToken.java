package dev.lumen.feature;

import dev.lumen.display.ActivationFormat;

/**
 * A token whose logit a feature moves, for display.
 * @param text the token made visible, unescaped
 * @param value the logit effect
 */
public record LogitToken(int tokenId, String text, float value) {

	public String shown() {
		return (this.value > 0 ? "+" : "") + ActivationFormat.format(this.value);
	}
}
