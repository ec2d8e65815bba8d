package dev.lumen.account;

import org.springframework.context.event.EventListener;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.event.AuthenticationFailureBadCredentialsEvent;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.stereotype.Component;

/**
 * Feeds {@link LoginThrottle} from Spring Security's authentication events, which the authentication manager
 * publishes for every password check, so no request path (encoded, with a suffix, another filter) escapes it.
 */
@Component
class LoginFailureCounter {

	private final LoginThrottle throttle;

	LoginFailureCounter(LoginThrottle throttle) {
		this.throttle = throttle;
	}

	@EventListener
	void onBadCredentials(AuthenticationFailureBadCredentialsEvent event) {
		if (event.getAuthentication() instanceof UsernamePasswordAuthenticationToken login) {
			this.throttle.failed(login.getName(), addressOf(login));
		}
	}

	@EventListener
	void onSuccess(AuthenticationSuccessEvent event) {
		if (event.getAuthentication() instanceof UsernamePasswordAuthenticationToken login) {
			this.throttle.succeeded(login.getName(), addressOf(login));
		}
	}

	/** @return the client address Spring Security recorded with the attempt (forwarded headers applied by Tomcat) */
	static String addressOf(Authentication authentication) {
		return authentication.getDetails() instanceof WebAuthenticationDetails details ? details.getRemoteAddress() : null;
	}
}
