package dev.lumen.webcache;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * HTTP caching for permalinks ({@link CachedRoute}): an ETag derived from the versions in the database
 * ({@link PageVersions}), {@code Cache-Control: no-cache} so browsers and proxies keep the answer but revalidate
 * it (a 304 costs one small query), and {@link RenderedAnswers} so a page many readers open is rendered once.
 *
 * <p>Feature pages and the map page carry the layout, which shows who is logged in: for anonymous readers they
 * are the same bytes for everyone (the layout leaves out the CSRF token, which an anonymous reader never uses on
 * these pages: request attribute {@value #SHARED_PAGE}), so they get a strong ETag, {@code public} and the
 * server-side cache; a logged-in reader gets a weak ETag tied to the session and {@code private}. JSON answers
 * and pictures are the same for everyone. Runs after Spring Security (default filter order), so access rules
 * apply before anything is served from the cache. Registered by {@link WebCacheConfiguration}.
 */
public class PageCacheFilter extends OncePerRequestFilter {

	/** Request attribute that tells the layout it renders a page shared between anonymous readers. */
	public static final String SHARED_PAGE = "lumenSharedPage";

	private final PageVersions versions;

	private final RenderedAnswers answers;

	public PageCacheFilter(PageVersions versions, RenderedAnswers answers) {
		this.versions = versions;
		this.answers = answers;
	}

	/** HEAD is GET without the body (RFC 9110): the same ETag, Cache-Control and 304. */
	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		String method = request.getMethod();
		return !("GET".equals(method) || "HEAD".equals(method)) || request.getHeader("HX-Request") != null;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String path = request.getRequestURI().substring(request.getContextPath().length());
		CachedRoute route = CachedRoute.of(path, request.getQueryString());
		String version = route == null ? null : this.versions.version(route.model(), route.sae(), route.scope(), route.index());
		if (version == null) {
			chain.doFilter(request, response);
			return;
		}
		boolean anonymous = isAnonymous();
		boolean shared = !route.html() || anonymous;
		String tag = route.scope().name().charAt(0) + "-" + version + "-"
				+ hash(path + "?" + request.getQueryString() + (shared ? "" : "|" + sessionOf(request)));
		String etag = shared ? "\"" + tag + "\"" : "W/\"" + tag + "\"";
		response.setHeader("ETag", etag);
		response.setHeader("Cache-Control", (anonymous ? "public" : "private") + ", no-cache");
		response.setHeader("Vary", "Cookie");
		if (matches(request.getHeader("If-None-Match"), etag)) {
			response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
			return;
		}
		if (!shared) {
			chain.doFilter(request, response);
			return;
		}
		if (route.html()) {
			request.setAttribute(SHARED_PAGE, Boolean.TRUE);
		}
		String key = request.getRequestURL() + "?" + request.getQueryString();
		RenderedAnswers.Answer cached = this.answers.get(key, etag);
		boolean head = "HEAD".equals(request.getMethod());
		if (cached != null) {
			response.setContentType(cached.contentType());
			response.setContentLength(cached.body().length);
			if (!head) {
				response.getOutputStream().write(cached.body());
			}
			return;
		}
		ContentCachingResponseWrapper capture = new ContentCachingResponseWrapper(response);
		chain.doFilter(request, capture);
		// only a plain success is kept; an error page, a redirect or an answer that opened a session is not. A HEAD
		// answer is not kept either: whether its body reaches a filter depends on the servlet container.
		if (capture.getStatus() == HttpServletResponse.SC_OK && capture.getHeader("Set-Cookie") == null) {
			if (!head) {
				this.answers.put(key, new RenderedAnswers.Answer(etag, capture.getContentType(), capture.getContentAsByteArray()));
			}
		}
		else {
			capture.setHeader("ETag", null);
			capture.setHeader("Cache-Control", "no-store");
		}
		capture.copyBodyToResponse();
	}

	private static boolean isAnonymous() {
		Authentication auth = SecurityContextHolder.getContext().getAuthentication();
		return auth == null || auth instanceof AnonymousAuthenticationToken || !auth.isAuthenticated();
	}

	private static String sessionOf(HttpServletRequest request) {
		HttpSession session = request.getSession(false);
		Authentication auth = SecurityContextHolder.getContext().getAuthentication();
		return (session == null ? "" : session.getId()) + "|" + (auth == null ? "" : auth.getName());
	}

	/** If-None-Match may list several tags, or {@code *}; weak comparison, as RFC 9110 asks for it. */
	static boolean matches(String ifNoneMatch, String etag) {
		if (ifNoneMatch == null) {
			return false;
		}
		String bare = etag.startsWith("W/") ? etag.substring(2) : etag;
		for (String candidate : ifNoneMatch.split(",")) {
			String c = candidate.trim();
			if (c.equals("*") || (c.startsWith("W/") ? c.substring(2) : c).equals(bare)) {
				return true;
			}
		}
		return false;
	}

	/** 12 hex digits of SHA-256: tells apart URLs (and sessions) that share a version. */
	private static String hash(String s) {
		try {
			byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(d, 0, 6);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}
}
