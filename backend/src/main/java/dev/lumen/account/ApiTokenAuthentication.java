package dev.lumen.account;

import dev.lumen.audit.AuditedCredential;
import java.util.ArrayList;
import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * A request authenticated by a personal API token. Its name is the owner's username (so controllers and services
 * treat it like the owner's login), its authorities are the owner's current role plus one {@code SCOPE_*} per
 * scope, and the audit log names the token ({@link AuditedCredential}).
 */
public final class ApiTokenAuthentication extends AbstractAuthenticationToken implements AuditedCredential {

	private final ApiTokens.Verified token;

	ApiTokenAuthentication(ApiTokens.Verified token) {
		super(authorities(token));
		this.token = token;
		setAuthenticated(true);
	}

	private static List<GrantedAuthority> authorities(ApiTokens.Verified token) {
		List<GrantedAuthority> authorities = new ArrayList<>();
		authorities.add(new SimpleGrantedAuthority(token.role().authority()));
		token.scopes().forEach(scope -> authorities.add(new SimpleGrantedAuthority(scope.authority())));
		return authorities;
	}

	/** @return whether the token carries {@code scope} */
	public boolean has(ApiTokenScope scope) {
		return this.token.scopes().contains(scope);
	}

	@Override
	public String getName() {
		return this.token.username();
	}

	@Override
	public Object getPrincipal() {
		return this.token.username();
	}

	/** The token is never kept in memory after verification. */
	@Override
	public Object getCredentials() {
		return null;
	}

	@Override
	public String auditName() {
		return "token #" + this.token.tokenId() + " \"" + this.token.tokenName() + "\"";
	}
}
