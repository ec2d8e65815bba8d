package dev.lumen.autointerp;

/** A language-model call that failed for good (after retries): the message says what the provider did. */
public class LlmException extends RuntimeException {

	private final boolean retryable;

	public LlmException(String message, boolean retryable) {
		super(message);
		this.retryable = retryable;
	}

	public LlmException(String message, boolean retryable, Throwable cause) {
		super(message, cause);
		this.retryable = retryable;
	}

	/** @return whether trying again may help (rate limits, 5xx, timeouts, malformed answers) */
	public boolean retryable() {
		return this.retryable;
	}
}
