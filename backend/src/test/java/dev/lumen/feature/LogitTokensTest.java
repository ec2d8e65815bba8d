package dev.lumen.feature;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Logit effects as listed: byte tokens decoded when they are a character, named and de-emphasised when not; bars. */
class LogitTokensTest {

	@Test
	void anAsciiByteTokenIsDecodedToItsCharacter() {
		LogitToken escape = LogitTokens.token(1, "<0x1B>", 0.5f, "10%");
		assertThat(escape.text()).isEqualTo("␛");
		assertThat(escape.byteNote()).isEqualTo("byte 0x1B");
		assertThat(escape.partialByte()).isFalse();
		assertThat(LogitTokens.token(2, "<0x41>", 0.5f, "10%").text()).isEqualTo("A");
		assertThat(LogitTokens.token(3, "<0x0A>", 0.5f, "10%").text()).isEqualTo("⏎");
	}

	@Test
	void aByteOfAMultiByteCharacterIsNamedAndMarkedPartial() {
		LogitToken continuation = LogitTokens.token(1, "<0xA6>", -0.5f, "10%");
		assertThat(continuation.text()).isEqualTo("<0xA6>");
		assertThat(continuation.partialByte()).isTrue();
		assertThat(continuation.byteNote()).isEqualTo(
				"byte 0xA6: a continuation byte of a multi-byte UTF-8 character, not text on its own");
		assertThat(LogitTokens.token(2, "<0xE2>", 1, "1%").byteNote()).contains("first byte of a 3-byte UTF-8 character");
		assertThat(LogitTokens.token(3, "<0xF0>", 1, "1%").byteNote()).contains("first byte of a 4-byte");
		assertThat(LogitTokens.token(4, "<0xFF>", 1, "1%").byteNote()).contains("not valid in UTF-8");
	}

	@Test
	void ordinaryTokensAreUnchangedEvenWhenTheyLookLikeMarkup() {
		LogitToken t = LogitTokens.token(5, "<0x1B> and more", 1, "1%");
		assertThat(t.text()).isEqualTo("<0x1B> and more");
		assertThat(t.byteNote()).isNull();
		assertThat(t.partialByte()).isFalse();
	}

	@Test
	void barsAreScaledToTheLargestEffectOfEitherSign() {
		Map<Integer, String> vocab = Map.of(1, "cat", 2, "<0xA6>", 3, "dog", 4, "<0x21>");
		LogitTokens logits = LogitTokens.of(new LogitEffects(new int[] { 1, 2 }, new float[] { 2f, 1f }, new int[] { 3, 4 },
				new float[] { -4f, -0.5f }), vocab::get);
		assertThat(logits.positive()).extracting(LogitToken::width).containsExactly("50.0%", "25.0%");
		assertThat(logits.negative()).extracting(LogitToken::width).containsExactly("100.0%", "12.5%");
		assertThat(logits.negative()).extracting(LogitToken::text).containsExactly("dog", "!");
		assertThat(logits.positive().get(1).partialByte()).isTrue();
	}
}
