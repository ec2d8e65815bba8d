package dev.lumen.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {

	static final class MovableClock extends Clock {

		Instant now = Instant.parse("2026-01-01T00:00:00Z");

		@Override
		public Instant instant() {
			return this.now;
		}

		@Override
		public java.time.ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(java.time.ZoneId zone) {
			return this;
		}
	}

	@Test
	void blocksAfterMaxFailuresUntilTheOldestLeavesTheWindow() {
		MovableClock clock = new MovableClock();
		LoginThrottle throttle = new LoginThrottle(3, Duration.ofMinutes(10), clock);
		for (int i = 0; i < 3; i++) {
			assertThat(throttle.isBlocked("Alice", "10.0.0.1")).isFalse();
			throttle.failed("alice", "10.0.0.1");
			clock.now = clock.now.plusSeconds(60);
		}
		assertThat(throttle.isBlocked("ALICE", "10.0.0.9")).as("per user name, any case, any address").isTrue();
		clock.now = clock.now.plus(Duration.ofMinutes(8)); // the first failure is now 11 minutes old
		assertThat(throttle.isBlocked("alice", "10.0.0.1")).isFalse();
	}

	@Test
	void oneAddressTryingManyNamesIsBlockedAtFourTimesTheLimit() {
		LoginThrottle throttle = new LoginThrottle(2, Duration.ofMinutes(10), new MovableClock());
		for (int i = 0; i < 8; i++) {
			throttle.failed("user" + i, "10.0.0.2");
		}
		assertThat(throttle.isBlocked("fresh-name", "10.0.0.2")).isTrue();
		assertThat(throttle.isBlocked("fresh-name", "10.0.0.3")).isFalse();
	}

	@Test
	void successClearsTheUserNamesFailures() {
		LoginThrottle throttle = new LoginThrottle(2, Duration.ofMinutes(10), new MovableClock());
		throttle.failed("bob", "10.0.0.4");
		throttle.succeeded("Bob");
		throttle.failed("bob", "10.0.0.4");
		assertThat(throttle.isBlocked("bob", "10.0.0.5")).isFalse();
	}
}
