package dev.lumen.autointerp;

/**
 * What explaining or scoring features would cost in language-model calls, for a dry run. Tokens are estimated as
 * characters / 4 (English text in common tokenizers); the real count depends on the provider's tokenizer.
 *
 * @param inputChars characters sent (system and user prompts)
 * @param maxOutputTokens the output budget asked for, an upper bound
 */
public record CallEstimate(long calls, long inputChars, long maxOutputTokens) {

	public static final CallEstimate NONE = new CallEstimate(0, 0, 0);

	public CallEstimate plus(CallEstimate other) {
		return new CallEstimate(this.calls + other.calls, this.inputChars + other.inputChars,
				this.maxOutputTokens + other.maxOutputTokens);
	}

	/** @return estimated input tokens, characters / 4 rounded up */
	public long inputTokens() {
		return (this.inputChars + 3) / 4;
	}
}
