package dev.lumen.engine.generate;

import dev.lumen.engine.tokenizer.Tokenizer;
import java.util.Arrays;

/**
 * Turns generated ids into text deltas. Decoding prompt + generated ids together (not token by token)
 * keeps sentencepiece's leading-space rule and multi-byte characters split over byte tokens right; a
 * delta is held back while the text ends in an incomplete character.
 */
final class TextStream {

	private final Tokenizer tokenizer;

	private final int promptLength;

	private final String promptText;

	private int[] ids;

	private int emitted;

	TextStream(Tokenizer tokenizer, int[] prompt) {
		this.tokenizer = tokenizer;
		this.ids = prompt.clone();
		this.promptLength = prompt.length;
		this.promptText = tokenizer.decode(prompt);
	}

	/** @return the text completed by {@code token} (empty while a character is incomplete) */
	String append(int token) {
		this.ids = Arrays.copyOf(this.ids, this.ids.length + 1);
		this.ids[this.ids.length - 1] = token;
		String generated = generatedText();
		if (generated.endsWith("\uFFFD")) {
			return "";
		}
		String delta = generated.substring(Math.min(this.emitted, generated.length()));
		this.emitted = generated.length();
		return delta;
	}

	/** @return all generated text so far */
	String all() {
		return generatedText();
	}

	private String generatedText() {
		if (this.ids.length == this.promptLength) {
			return "";
		}
		String full = this.tokenizer.decode(this.ids);
		return full.startsWith(this.promptText) ? full.substring(this.promptText.length())
				: this.tokenizer.decode(Arrays.copyOfRange(this.ids, this.promptLength, this.ids.length));
	}
}
