package dev.lumen.feature;

import dev.lumen.display.ActivationFormat;

/**
 * A token whose logit a feature moves, for display.
 * @param text the token made visible, unescaped; a byte token that is a character on its own is decoded
 * @param value the logit effect
 * @param byteNote for a byte token ({@code <0xA6>}), what the byte is; null for any other token
 * @param partialByte whether it is a byte of a multi-byte character, not text on its own (shown de-emphasised)
 * @param width the bar's CSS width: |value| relative to the largest effect of the feature, e.g. {@code "42.0%"}
 */
public record LogitToken(int tokenId, String text, float value, String byteNote, boolean partialByte, String width) {

	public String shown() {
		return (this.value > 0 ? "+" : "") + ActivationFormat.format(this.value);
	}
}
