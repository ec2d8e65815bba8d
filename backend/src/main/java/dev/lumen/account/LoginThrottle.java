package dev.lumen.account;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Login rate limiting: after {@code maxFailures} failed logins for one user name, or four times as many from
 * one client address, within {@code window}, further attempts are refused until the oldest failure leaves the
 * window. A successful login clears the user name's failures. Kept in memory: a restart forgets them.
 */
@Component
public class LoginThrottle {

	/** Keys kept at most; beyond that the map is cleared, which only ever loosens the limit. */
	private static final int MAX_KEYS = 100_000;

	private final int maxFailures;

	private final Duration window;

	private final Clock clock;

	private final Map<String, Deque<Instant>> failures = new ConcurrentHashMap<>();

	@Autowired
	public LoginThrottle(@Value("${lumen.security.login.max-failures:5}") int maxFailures,
			@Value("${lumen.security.login.window:15m}") Duration window) {
		this(maxFailures, window, Clock.systemUTC());
	}

	LoginThrottle(int maxFailures, Duration window, Clock clock) {
		this.maxFailures = maxFailures;
		this.window = window;
		this.clock = clock;
	}

	/** @return whether a login for this user name from this address must be refused now */
	public boolean isBlocked(String username, String address) {
		return count(userKey(username)) >= this.maxFailures || count(addressKey(address)) >= 4 * this.maxFailures;
	}

	/** Counts one failed login. */
	public void failed(String username, String address) {
		if (this.failures.size() > MAX_KEYS) {
			this.failures.clear();
		}
		Instant now = this.clock.instant();
		for (String key : new String[] { userKey(username), addressKey(address) }) {
			Deque<Instant> times = this.failures.computeIfAbsent(key, k -> new ArrayDeque<>());
			synchronized (times) {
				times.addLast(now);
			}
		}
	}

	/** Forgets the user name's failures after a successful login. */
	public void succeeded(String username) {
		this.failures.remove(userKey(username));
	}

	/** @return how long the refusal lasts, rounded up to minutes, for the message on the login page */
	public Duration window() {
		return this.window;
	}

	private int count(String key) {
		Deque<Instant> times = this.failures.get(key);
		if (times == null) {
			return 0;
		}
		Instant oldest = this.clock.instant().minus(this.window);
		synchronized (times) {
			while (!times.isEmpty() && times.peekFirst().isBefore(oldest)) {
				times.pollFirst();
			}
			return times.size();
		}
	}

	private static String userKey(String username) {
		return "u:" + (username == null ? "" : username.strip().toLowerCase(Locale.ROOT));
	}

	private static String addressKey(String address) {
		return "a:" + address;
	}
}
