package dev.lumen.feature;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.feature.ExampleLine.TokenCell;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenHtmlTest {

	@Test
	void markupQuotesAndAmpersandsInTokensBecomeText() {
		String html = TokenHtml.spans(List.of(new TokenCell("<script>\"x\" & 'y'</script>", 0, 0, false, true),
				new TokenCell("\" onmouseover=\"alert(1)", 0.5f, 0.25, false, false)));
		assertThat(html).isEqualTo("<span class=\"tok\">&lt;script&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/script&gt;</span>"
				+ "<span class=\"tok on out\" style=\"--a:0.25\" tabindex=\"0\" data-act=\"0.500\" title=\"activation 0.500\">"
				+ "&quot; onmouseover=&quot;alert(1)</span>");
	}

	@Test
	void visibleWhitespaceAndUnicodeStayAsCharacters() {
		assertThat(TokenHtml.span(new TokenCell(TokenDisplay.visible(" "), 0, 0, false, true)))
			.isEqualTo("<span class=\"tok\">·</span>");
		assertThat(TokenHtml.span(new TokenCell(TokenDisplay.visible("\n"), 0, 0, true, true)))
			.isEqualTo("<span class=\"tok max\">⏎</span>");
		assertThat(TokenHtml.span(new TokenCell("café ☕", 0, 0, false, true))).isEqualTo("<span class=\"tok\">café ☕</span>");
	}

	@Test
	void controlAndFormatCharactersAreShownAsSymbols() {
		assertThat(TokenDisplay.visible("a\u0000b\u0007\u007f\u200b\t")).isEqualTo("a␀b␇␡<U+200B>⇥");
		assertThat(TokenDisplay.visible("")).isEqualTo("∅");
		assertThat(TokenDisplay.visible("  ")).isEqualTo("··");
		assertThat(TokenDisplay.visible(" the")).isEqualTo(" the");
	}
}
