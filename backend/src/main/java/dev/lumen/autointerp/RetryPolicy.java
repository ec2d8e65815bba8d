package dev.lumen.autointerp;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Tries a call again on retryable failures: exponential backoff with jitter ({@code base · 2^(attempt-1) · (1 + u)},
 * u uniform in [0, 1), at most {@code maxDelay}), or the provider's {@code Retry-After} when it sent one.
 *
 * @param maxAttempts calls in all, at least 1
 */
public record RetryPolicy(int maxAttempts, Duration baseDelay, Duration maxDelay, Sleeper sleeper) {

	/** Waits; tests pass one that records the delays instead. */
	@FunctionalInterface
	public interface Sleeper {

		void sleep(Duration delay) throws InterruptedException;
	}

	public RetryPolicy {
		if (maxAttempts < 1) {
			throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
		}
	}

	/** Five attempts, 1 s base delay, at most 60 s between attempts. */
	public static RetryPolicy defaults() {
		return new RetryPolicy(5, Duration.ofSeconds(1), Duration.ofSeconds(60), d -> Thread.sleep(d.toMillis()));
	}

	/** @return the call's result; the last failure when every attempt failed or a failure is not retryable */
	public <T> T call(Supplier<T> attempt) {
		for (int n = 1;; n++) {
			try {
				return attempt.get();
			}
			catch (LlmException ex) {
				if (!ex.retryable() || n >= this.maxAttempts) {
					throw n == 1 ? ex : new LlmException(ex.getMessage() + " (after " + n + " attempts)", false, ex);
				}
				Duration wait = ex instanceof RateLimited limited && limited.retryAfter() != null
						? min(limited.retryAfter(), this.maxDelay) : backoff(n);
				try {
					this.sleeper.sleep(wait);
				}
				catch (InterruptedException ie) {
					Thread.currentThread().interrupt();
					throw new LlmException("interrupted while waiting to retry: " + ex.getMessage(), false, ie);
				}
			}
		}
	}

	Duration backoff(int attempt) {
		double factor = Math.pow(2, attempt - 1) * (1 + ThreadLocalRandom.current().nextDouble());
		long millis = (long) Math.min(this.baseDelay.toMillis() * factor, this.maxDelay.toMillis());
		return Duration.ofMillis(millis);
	}

	private static Duration min(Duration a, Duration b) {
		return a.compareTo(b) <= 0 ? a : b;
	}

	/** HTTP 429: the provider may say how long to wait. */
	public static final class RateLimited extends LlmException {

		private final Duration retryAfter;

		public RateLimited(String message, Duration retryAfter) {
			super(message, true);
			this.retryAfter = retryAfter;
		}

		/** @return the wait the provider asked for, or null */
		public Duration retryAfter() {
			return this.retryAfter;
		}
	}
}
