package dev.lumen.review;

import java.util.List;

/**
 * RFC 4180 CSV for exports. Every field is quoted; fields that a spreadsheet would run as a formula
 * ({@code = + - @}, tab, CR at the start) get a leading apostrophe, so an exported note cannot become a formula.
 */
final class Csv {

	private Csv() {
	}

	/** @return one CSV line with CRLF */
	static String line(List<?> fields) {
		StringBuilder out = new StringBuilder();
		for (int i = 0; i < fields.size(); i++) {
			if (i > 0) {
				out.append(',');
			}
			out.append(field(fields.get(i)));
		}
		return out.append("\r\n").toString();
	}

	static String field(Object value) {
		String text = value == null ? "" : value.toString();
		if (!text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0) {
			text = "'" + text;
		}
		return '"' + text.replace("\"", "\"\"") + '"';
	}
}
