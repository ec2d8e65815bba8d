package dev.lumen.account;

import java.time.Duration;
import org.springframework.security.authentication.LockedException;

/**
 * A login refused before its password was checked. A {@link LockedException} (an account status exception), so
 * the authentication manager stops at once instead of asking the next provider.
 */
public class LoginThrottledException extends LockedException {

	private final transient Duration retryAfter;

	public LoginThrottledException(Duration retryAfter) {
		super("Too many failed logins; retry after " + retryAfter.toSeconds() + " s");
		this.retryAfter = retryAfter;
	}

	public Duration retryAfter() {
		return this.retryAfter;
	}
}
