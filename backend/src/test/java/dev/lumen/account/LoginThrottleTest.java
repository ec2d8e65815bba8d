package dev.lumen.account;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.system.KeyedBuckets;
import io.github.bucket4j.TimeMeter;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {

	/** A clock the test moves. */
	static final class MovableTime implements TimeMeter {

		long nanos;

		void advance(Duration d) {
			this.nanos += d.toNanos();
		}

		@Override
		public long currentTimeNanos() {
			return this.nanos;
		}

		@Override
		public boolean isWallClockBased() {
			return false;
		}
	}

	@Test
	void afterABurstOfFailuresOneAttemptPerBackoffIntervalIsAllowed() {
		MovableTime time = new MovableTime();
		LoginThrottle throttle = new LoginThrottle(3, Duration.ofMinutes(15), time);
		for (int i = 0; i < 3; i++) {
			assertThat(throttle.retryAfter("Alice", "10.0.0.1")).isZero();
			throttle.failed("alice", "10.0.0.1");
		}
		assertThat(throttle.retryAfter("ALICE", "10.0.0.1")).as("any case of the name").isEqualTo(Duration.ofMinutes(5));
		time.advance(Duration.ofMinutes(5));
		assertThat(throttle.retryAfter("alice", "10.0.0.1")).isZero();
		throttle.failed("alice", "10.0.0.1");
		assertThat(throttle.retryAfter("alice", "10.0.0.1")).as("one more guess costs another interval").isEqualTo(Duration.ofMinutes(5));
	}

	@Test
	void aStrangersFailuresDoNotLockTheOwnerOutFromTheirOwnAddress() {
		LoginThrottle throttle = new LoginThrottle(3, Duration.ofMinutes(15), new MovableTime());
		for (int i = 0; i < 10; i++) {
			throttle.failed("owner", "203.0.113.7");
		}
		assertThat(throttle.retryAfter("owner", "203.0.113.7")).isPositive();
		assertThat(throttle.retryAfter("owner", "192.0.2.1")).isZero();
	}

	@Test
	void oneAddressTryingManyNamesIsBlockedAtFourTimesTheLimit() {
		LoginThrottle throttle = new LoginThrottle(2, Duration.ofMinutes(10), new MovableTime());
		for (int i = 0; i < 8; i++) {
			assertThat(throttle.retryAfter("user" + i, "10.0.0.2")).isZero();
			throttle.failed("user" + i, "10.0.0.2");
		}
		assertThat(throttle.retryAfter("fresh-name", "10.0.0.2")).isPositive();
		assertThat(throttle.retryAfter("fresh-name", "10.0.0.3")).isZero();
	}

	@Test
	void successRefillsThatAccountFromThatAddress() {
		LoginThrottle throttle = new LoginThrottle(2, Duration.ofMinutes(10), new MovableTime());
		throttle.failed("bob", "10.0.0.4");
		throttle.succeeded("Bob", "10.0.0.4");
		throttle.failed("bob", "10.0.0.4");
		assertThat(throttle.retryAfter("bob", "10.0.0.4")).isZero();
	}

	@Test
	void manyKeysNeverMakeTheBucketsForgetALimitInForce() {
		KeyedBuckets buckets = new KeyedBuckets(1, Duration.ofMinutes(10), new MovableTime());
		buckets.consume("locked");
		for (int i = 0; i < 50_000; i++) {
			buckets.waitFor("k" + i);
			buckets.consume("k" + i);
		}
		assertThat(buckets.waitFor("locked")).isPositive();
	}
}
