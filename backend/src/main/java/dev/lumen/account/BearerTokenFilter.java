package dev.lumen.account;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.UrlPathHelper;

/**
 * Authenticates {@code Authorization: Bearer lumen_...} requests with a personal API token ({@link ApiTokens}). The
 * authentication lives for this request only (nothing is saved in a session, none is created), and such a request
 * skips CSRF: a browser never adds this header by itself, so another site cannot forge it. A wrong, revoked or
 * disabled user's token gets 401; a token without the scope the request needs gets 403, before the role rules
 * ({@code SecurityConfiguration}) are asked as for any login. Tokens cannot manage accounts or tokens.
 */
public class BearerTokenFilter extends OncePerRequestFilter {

	private static final String BEARER = "Bearer ";

	private static final String AUTHENTICATED = BearerTokenFilter.class.getName() + ".authenticated";

	/** SessionManagementFilter's own "already applied" marker (Spring Security 7). */
	private static final String SESSION_MANAGEMENT_APPLIED = "__spring_security_session_mgmt_filter_applied";

	private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

	private static final UrlPathHelper PATHS = new UrlPathHelper();

	private final ApiTokens tokens;

	public BearerTokenFilter(ApiTokens tokens) {
		this.tokens = tokens;
	}

	/** @return whether this request was authenticated by a token (CSRF is not asked of it) */
	public static boolean authenticatedByToken(HttpServletRequest request) {
		return request.getAttribute(AUTHENTICATED) != null;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String header = request.getHeader(HttpHeaders.AUTHORIZATION);
		if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
			chain.doFilter(request, response);
			return;
		}
		Optional<ApiTokens.Verified> verified = this.tokens.verify(header.substring(BEARER.length()).strip());
		if (verified.isEmpty()) {
			response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"");
			problem(response, 401, "The API token is unknown or revoked, or its user is disabled.");
			return;
		}
		ApiTokenAuthentication authentication = new ApiTokenAuthentication(verified.get());
		String refusal = refusal(request, authentication);
		if (refusal != null) {
			response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"insufficient_scope\"");
			problem(response, 403, refusal);
			return;
		}
		SecurityContext context = SecurityContextHolder.createEmptyContext();
		context.setAuthentication(authentication);
		SecurityContextHolder.setContext(context);
		request.setAttribute(AUTHENTICATED, Boolean.TRUE);
		// SessionManagementFilter (on because of maximumSessions) would otherwise create, register and fill a session
		// for this authentication, so that the session cookie alone would act as the token (ApiTokenTest checks it)
		request.setAttribute(SESSION_MANAGEMENT_APPLIED, Boolean.TRUE);
		chain.doFilter(request, response);
	}

	/** @return why the token may not make this request, or null when its scopes allow it */
	static String refusal(HttpServletRequest request, ApiTokenAuthentication token) {
		// decoded, as the dispatcher sees it: "/api/%73teer" must count as steering (issue 21, item 1)
		String path = PATHS.getPathWithinApplication(request);
		if (startsWithSegment(path, "/account") || startsWithSegment(path, "/admin") || startsWithSegment(path, "/login")
				|| startsWithSegment(path, "/logout")) {
			return "API tokens cannot manage accounts or tokens; log in with a password.";
		}
		if (SAFE_METHODS.contains(request.getMethod()) || startsWithSegment(path, "/api/analyze")) {
			return null;
		}
		if (startsWithSegment(path, "/api/steer") || startsWithSegment(path, "/playground")) {
			return token.has(ApiTokenScope.STEER) ? null : "This API token lacks the 'steer' scope.";
		}
		return token.has(ApiTokenScope.REVIEW) ? null : "This API token lacks the 'review' scope.";
	}

	private static boolean startsWithSegment(String path, String prefix) {
		return path.equals(prefix) || path.startsWith(prefix + "/");
	}

	private static void problem(HttpServletResponse response, int status, String detail) throws IOException {
		// the details are fixed sentences: nothing from the request is echoed
		response.setStatus(status);
		response.setContentType("application/problem+json");
		response.setCharacterEncoding(StandardCharsets.UTF_8.name());
		response.getWriter().write("{\"status\":" + status + ",\"detail\":\"" + detail + "\"}");
	}
}
