package dev.lumen.system;

/** Every model slot and queue place of this kind is taken (HTTP 429 with Retry-After). */
public class ModelBusyException extends RuntimeException {

	private final int retryAfterSeconds;

	public ModelBusyException(String message, int retryAfterSeconds) {
		super(message);
		this.retryAfterSeconds = retryAfterSeconds;
	}

	/** @return seconds after which a retry is likely to find a free slot */
	public int retryAfterSeconds() {
		return this.retryAfterSeconds;
	}
}
