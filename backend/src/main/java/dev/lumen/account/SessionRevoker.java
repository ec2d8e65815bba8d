package dev.lumen.account;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.security.core.session.SessionInformation;
import org.springframework.security.core.session.SessionRegistry;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Ends every session of a user whose role changed or who was disabled, and every other session of a user who
 * changed their password, once the change has committed; their next request goes to the login page (which then
 * applies the new role, or refuses the disabled user).
 */
@Component
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
class SessionRevoker {

	private final SessionRegistry sessions;

	SessionRevoker(SessionRegistry sessions) {
		this.sessions = sessions;
	}

	@TransactionalEventListener(fallbackExecution = true)
	void revoke(AccountChanged event) {
		expire(event.username(), null);
	}

	@TransactionalEventListener(fallbackExecution = true)
	void revokeOthers(PasswordChanged event) {
		expire(event.username(), event.keptSessionId());
	}

	private void expire(String username, String keptSessionId) {
		for (Object principal : this.sessions.getAllPrincipals()) {
			if (principal instanceof UserDetails user && user.getUsername().equalsIgnoreCase(username)) {
				for (SessionInformation session : this.sessions.getAllSessions(principal, false)) {
					if (!session.getSessionId().equals(keptSessionId)) {
						session.expireNow();
					}
				}
			}
		}
	}
}
