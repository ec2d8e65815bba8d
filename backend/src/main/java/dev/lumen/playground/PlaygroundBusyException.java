package dev.lumen.playground;

/** Every generation slot and queue place is taken (HTTP 429 with Retry-After). */
public class PlaygroundBusyException extends RuntimeException {

	private final int retryAfterSeconds;

	public PlaygroundBusyException(String message, int retryAfterSeconds) {
		super(message);
		this.retryAfterSeconds = retryAfterSeconds;
	}

	/** @return seconds after which a retry is likely to find a free slot */
	public int retryAfterSeconds() {
		return this.retryAfterSeconds;
	}
}
