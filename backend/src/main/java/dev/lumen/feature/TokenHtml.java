package dev.lumen.feature;

import dev.lumen.feature.ExampleLine.TokenCell;
import java.util.List;

/**
 * Writes token spans as HTML in Java. A feature page has ~10 000 tokens; as Thymeleaf expressions they cost
 * about 8 SpEL evaluations each, most of the page's render time. Token text is escaped here ({@link #escape});
 * every other attribute value is a number or a constant. {@code FeaturePageTest} and {@code TokenHtmlTest} check
 * that markup in tokens comes out as text.
 */
final class TokenHtml {

	private TokenHtml() {
	}

	/** @return the spans of {@code cells}, concatenated */
	static String spans(List<TokenCell> cells) {
		StringBuilder out = new StringBuilder(cells.size() * 48);
		for (TokenCell t : cells) {
			span(out, t);
		}
		return out.toString();
	}

	/** @return one token's span */
	static String span(TokenCell t) {
		return span(new StringBuilder(64), t).toString();
	}

	private static StringBuilder span(StringBuilder out, TokenCell t) {
		out.append("<span class=\"").append(t.cssClass()).append('"');
		if (t.active()) {
			String shown = t.shown();
			out.append(" style=\"").append(t.style()).append("\" tabindex=\"0\" data-act=\"").append(shown)
				.append("\" title=\"activation ").append(shown).append('"');
		}
		return escape(out.append('>'), t.text()).append("</span>");
	}

	/** Appends text with the five characters that can start or end markup or attributes escaped. */
	static StringBuilder escape(StringBuilder out, String text) {
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			switch (c) {
				case '<' -> out.append("&lt;");
				case '>' -> out.append("&gt;");
				case '&' -> out.append("&amp;");
				case '"' -> out.append("&quot;");
				case '\'' -> out.append("&#39;");
				default -> out.append(c);
			}
		}
		return out;
	}
}
