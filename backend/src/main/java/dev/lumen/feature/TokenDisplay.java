package dev.lumen.feature;

/**
 * Makes token text visible: whitespace and control characters become printable symbols, so a newline
 * token shows as {@code ⏎} and a lone space as {@code ·}. The result is still raw text: templates escape it.
 */
public final class TokenDisplay {

	private TokenDisplay() {
	}

	/** @return the token as shown in example lines */
	public static String visible(String raw) {
		if (raw.isEmpty()) {
			return "∅";
		}
		boolean allSpace = raw.chars().allMatch(c -> c == ' ');
		StringBuilder out = new StringBuilder(raw.length() + 2);
		raw.codePoints().forEach(cp -> {
			switch (cp) {
				case '\n' -> out.append('⏎');
				case '\r' -> out.append('␍');
				case '\t' -> out.append('⇥');
				case ' ' -> out.append(allSpace ? '·' : ' ');
				default -> {
					if (cp < 0x20) {
						// = Unicode "control pictures": U+2400 + code
						out.appendCodePoint(0x2400 + cp);
					}
					else if (cp == 0x7f) {
						out.append('␡');
					}
					else if (Character.getType(cp) == Character.FORMAT || Character.getType(cp) == Character.CONTROL) {
						out.append(String.format("<U+%04X>", cp));
					}
					else {
						out.appendCodePoint(cp);
					}
				}
			}
		});
		return out.toString();
	}
}
