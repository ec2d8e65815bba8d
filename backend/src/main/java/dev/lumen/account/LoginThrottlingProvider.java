package dev.lumen.account;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;

/**
 * Asked before the password is checked: refuses the attempt while {@link LoginThrottle} says this user name from
 * this address must wait, otherwise passes it on (returns null) to the provider that checks the password.
 */
public class LoginThrottlingProvider implements AuthenticationProvider {

	private final LoginThrottle throttle;

	public LoginThrottlingProvider(LoginThrottle throttle) {
		this.throttle = throttle;
	}

	@Override
	public Authentication authenticate(Authentication authentication) {
		var wait = this.throttle.retryAfter(authentication.getName(), LoginFailureCounter.addressOf(authentication));
		if (!wait.isZero()) {
			throw new LoginThrottledException(wait);
		}
		return null;
	}

	@Override
	public boolean supports(Class<?> authentication) {
		return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
	}
}
