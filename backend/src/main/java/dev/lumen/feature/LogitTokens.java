package dev.lumen.feature;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A feature's logit effects as the page lists them: byte-fallback tokens ({@code <0x1B>}) decoded where the byte is
 * a character on its own (ASCII), otherwise named for what they are (a lead or continuation byte of a multi-byte
 * UTF-8 character) and de-emphasised; every effect with a bar scaled to the largest one.
 * @param positive the tokens it promotes, largest first
 * @param negative the tokens it suppresses, most negative first
 */
public record LogitTokens(List<LogitToken> positive, List<LogitToken> negative) {

	static final LogitTokens NONE = new LogitTokens(List.of(), List.of());

	private static final Pattern BYTE = Pattern.compile("<0x([0-9A-Fa-f]{2})>");

	/** @param visible a token id's text as {@link TokenVocabulary#visible} shows it */
	static LogitTokens of(LogitEffects effects, IntFunction<String> visible) {
		float largest = 0;
		for (float v : effects.topValues()) {
			largest = Math.max(largest, Math.abs(v));
		}
		for (float v : effects.bottomValues()) {
			largest = Math.max(largest, Math.abs(v));
		}
		return new LogitTokens(tokens(effects.topTokenIds(), effects.topValues(), visible, largest),
				tokens(effects.bottomTokenIds(), effects.bottomValues(), visible, largest));
	}

	private static List<LogitToken> tokens(int[] ids, float[] values, IntFunction<String> visible, float largest) {
		List<LogitToken> out = new ArrayList<>(ids.length);
		for (int i = 0; i < Math.min(ids.length, values.length); i++) {
			String width = largest > 0 ? String.format(Locale.ROOT, "%.1f%%", 100 * Math.abs(values[i]) / largest) : "0%";
			out.add(token(ids[i], visible.apply(ids[i]), values[i], width));
		}
		return out;
	}

	/** @return the token, decoded when it is a byte token that forms a character on its own */
	static LogitToken token(int id, String text, float value, String width) {
		Matcher m = BYTE.matcher(text);
		if (!m.matches()) {
			return new LogitToken(id, text, value, null, false, width);
		}
		int b = Integer.parseInt(m.group(1), 16);
		String hex = String.format(Locale.ROOT, "0x%02X", b);
		if (b < 0x80) { // ASCII: the byte is the character
			return new LogitToken(id, TokenDisplay.visible(Character.toString(b)), value, "byte " + hex, false, width);
		}
		String what = b < 0xC0 ? "a continuation byte of a multi-byte UTF-8 character"
				: b < 0xE0 ? "the first byte of a 2-byte UTF-8 character"
						: b < 0xF0 ? "the first byte of a 3-byte UTF-8 character"
								: b < 0xF8 ? "the first byte of a 4-byte UTF-8 character" : "not valid in UTF-8";
		return new LogitToken(id, text, value, "byte " + hex + ": " + what + ", not text on its own", true, width);
	}
}
