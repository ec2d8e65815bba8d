package dev.lumen.extraction;

/**
 * The display string of a vocabulary entry: SentencePiece's '▁' becomes a space and byte tokens of printable
 * or whitespace ASCII ({@code <0x0A>}) become the character; other byte tokens (pieces of a UTF-8 sequence) stay
 * as written. Pages escape and make whitespace visible; this only decodes.
 */
final class TokenText {

	private TokenText() {
	}

	static String display(String piece) {
		if (piece.length() == 6 && piece.startsWith("<0x") && piece.endsWith(">")) {
			try {
				int b = Integer.parseInt(piece.substring(3, 5), 16);
				if (b < 0x80 && (b >= 0x20 || b == '\n' || b == '\t' || b == '\r')) {
					return String.valueOf((char) b);
				}
			}
			catch (NumberFormatException ex) {
				return piece;
			}
			return piece;
		}
		return piece.replace('\u2581', ' ');
	}
}
