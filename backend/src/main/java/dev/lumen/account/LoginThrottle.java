package dev.lumen.account;

import dev.lumen.system.KeyedBuckets;
import io.github.bucket4j.TimeMeter;
import java.time.Duration;
import java.util.Locale;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Slows down password guessing without letting strangers lock an owner out. Failed password checks (reported by
 * Spring Security's authentication events, whatever URL the attempt came through, see {@link LoginFailureCounter})
 * take a token from two Bucket4j buckets: one per account and client address ({@code maxFailures} tokens, one back
 * every {@code window / maxFailures}), and one per address over all names (four times as many). An empty bucket
 * refuses further attempts until a token comes back: after the burst, one guess per interval. The owner logging in
 * from their own address is never refused because of someone else's failures; a success refills their bucket.
 * Wrong current passwords on the password form count the same way. Kept in memory: a restart forgets them.
 */
@Component
public class LoginThrottle {

	private final KeyedBuckets perAccountAndAddress;

	private final KeyedBuckets perAddress;

	private final Duration backoff;

	@Autowired
	public LoginThrottle(@Value("${lumen.security.login.max-failures:5}") int maxFailures,
			@Value("${lumen.security.login.window:15m}") Duration window) {
		this(maxFailures, window, TimeMeter.SYSTEM_MILLISECONDS);
	}

	LoginThrottle(int maxFailures, Duration window, TimeMeter time) {
		this.backoff = window.dividedBy(maxFailures);
		this.perAccountAndAddress = new KeyedBuckets(maxFailures, this.backoff, time);
		this.perAddress = new KeyedBuckets(4L * maxFailures, window.dividedBy(4L * maxFailures), time);
	}

	/** @return how long a password check for this user name from this address must wait; zero when it may go ahead */
	public Duration retryAfter(String username, String address) {
		Duration account = this.perAccountAndAddress.waitFor(accountKey(username, address));
		Duration client = this.perAddress.waitFor(addressKey(address));
		return account.compareTo(client) >= 0 ? account : client;
	}

	/** Counts one failed password check. */
	public void failed(String username, String address) {
		this.perAccountAndAddress.consume(accountKey(username, address));
		this.perAddress.consume(addressKey(address));
	}

	/** Forgets the failures for this user name from this address after a successful login. */
	public void succeeded(String username, String address) {
		this.perAccountAndAddress.forget(accountKey(username, address));
	}

	/** @return how long one token takes to come back: the wait after a burst, for the message on the login page */
	public Duration backoff() {
		return this.backoff;
	}

	private static String accountKey(String username, String address) {
		return (username == null ? "" : username.strip().toLowerCase(Locale.ROOT)) + "\u0000" + address;
	}

	private static String addressKey(String address) {
		return String.valueOf(address);
	}
}
