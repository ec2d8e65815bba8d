package dev.lumen.system;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One Bucket4j token bucket per key (an account and address, a client address), created full on first use. The
 * map stays bounded without ever forgetting a limit that is in force: when it grows past its sweep mark, only
 * buckets that have refilled completely are dropped, because a full bucket is exactly what a new key gets.
 */
public final class KeyedBuckets {

	private static final int FIRST_SWEEP_AT = 10_000;

	private final long capacity;

	private final Duration refillEvery;

	private final TimeMeter time;

	private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

	private volatile int sweepAt = FIRST_SWEEP_AT;

	/**
	 * @param capacity tokens a new key starts with (attempts allowed in a burst)
	 * @param refillEvery one token comes back after each such interval
	 * @param time the clock (a test moves its own)
	 */
	public KeyedBuckets(long capacity, Duration refillEvery, TimeMeter time) {
		if (capacity < 1 || refillEvery.isNegative() || refillEvery.isZero()) {
			throw new IllegalArgumentException("capacity must be >= 1 and refillEvery positive, got " + capacity + ", " + refillEvery);
		}
		this.capacity = capacity;
		this.refillEvery = refillEvery;
		this.time = time;
	}

	/** @return how long until {@code key} has a token again; zero when it has one now (nothing is taken) */
	public Duration waitFor(String key) {
		Bucket bucket = this.buckets.get(key);
		if (bucket == null) {
			return Duration.ZERO;
		}
		var probe = bucket.estimateAbilityToConsume(1);
		return probe.canBeConsumed() ? Duration.ZERO : Duration.ofNanos(probe.getNanosToWaitForRefill());
	}

	/** Takes a token from {@code key}'s bucket, if it has one. */
	public void consume(String key) {
		sweepWhenLarge();
		this.buckets.computeIfAbsent(key, k -> newBucket()).tryConsume(1);
	}

	/**
	 * Takes a token when there is one.
	 * @return zero when taken, otherwise how long until one is available
	 */
	public Duration tryConsume(String key) {
		sweepWhenLarge();
		var probe = this.buckets.computeIfAbsent(key, k -> newBucket()).tryConsumeAndReturnRemaining(1);
		return probe.isConsumed() ? Duration.ZERO : Duration.ofNanos(probe.getNanosToWaitForRefill());
	}

	/** Gives {@code key} a full bucket again (after a successful login). */
	public void forget(String key) {
		this.buckets.remove(key);
	}

	/** @return keys currently remembered */
	int size() {
		return this.buckets.size();
	}

	private Bucket newBucket() {
		return Bucket.builder()
			.addLimit(limit -> limit.capacity(this.capacity).refillIntervally(1, this.refillEvery))
			.withCustomTimePrecision(this.time)
			.build();
	}

	private void sweepWhenLarge() {
		if (this.buckets.size() < this.sweepAt) {
			return;
		}
		synchronized (this) {
			if (this.buckets.size() < this.sweepAt) {
				return;
			}
			this.buckets.values().removeIf(bucket -> bucket.getAvailableTokens() >= this.capacity);
			// what is left is in force: let the map grow rather than forget it
			this.sweepAt = Math.max(FIRST_SWEEP_AT, 2 * this.buckets.size());
		}
	}
}
