package dev.lumen.testing;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A cookie-keeping HTTP client for the app a test started on a random port: it goes through Tomcat and the whole
 * filter chain as a browser does (raw, percent-encoded paths included), and posts forms with the page's CSRF token.
 */
public final class HttpBrowser {

	private static final Pattern CSRF = Pattern.compile("<meta name=\"_csrf\" content=\"([^\"]+)\"");

	private final HttpClient http;

	private final int port;

	private final String[] everyRequest;

	/** @param everyRequest header names and values sent with every request (e.g. a proxy's X-Forwarded-Proto) */
	public HttpBrowser(int port, String... everyRequest) {
		this.port = port;
		this.everyRequest = everyRequest;
		this.http = HttpClient.newBuilder()
			.followRedirects(HttpClient.Redirect.NEVER)
			.cookieHandler(new CookieManager())
			.build();
	}

	/** @return the response to a GET of {@code rawPath} (sent as given, escapes included) */
	public HttpResponse<String> get(String rawPath, String... headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri(rawPath)).GET();
		for (int i = 0; i + 1 < this.everyRequest.length; i += 2) {
			request.header(this.everyRequest[i], this.everyRequest[i + 1]);
		}
		for (int i = 0; i + 1 < headers.length; i += 2) {
			request.header(headers[i], headers[i + 1]);
		}
		return send(request.build());
	}

	/** @return the CSRF token of the page at {@code rawPath}, as a browser's form would carry it */
	public String csrfToken(String rawPath) {
		Matcher m = CSRF.matcher(get(rawPath).body());
		if (!m.find()) {
			throw new IllegalStateException("no CSRF meta tag on " + rawPath);
		}
		return m.group(1);
	}

	/** POSTs a form to {@code rawPath} with the CSRF token of {@code csrfPage}. */
	public HttpResponse<String> postForm(String rawPath, String csrfPage, String... fields) {
		Map<String, String> form = new LinkedHashMap<>();
		for (int i = 0; i + 1 < fields.length; i += 2) {
			form.put(fields[i], fields[i + 1]);
		}
		form.put("_csrf", csrfToken(csrfPage));
		String body = form.entrySet()
			.stream()
			.map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
			.collect(Collectors.joining("&"));
		HttpRequest.Builder request = HttpRequest.newBuilder(uri(rawPath))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(body));
		for (int i = 0; i + 1 < this.everyRequest.length; i += 2) {
			request.header(this.everyRequest[i], this.everyRequest[i + 1]);
		}
		return send(request.build());
	}

	/** @return the response to {@code request}, any method and headers */
	public HttpResponse<String> send(HttpRequest request) {
		try {
			return this.http.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new IllegalStateException(request.method() + " " + request.uri() + " failed: " + ex.getMessage(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted", ex);
		}
	}

	/** @return the absolute URI of {@code rawPath} on this app */
	public URI uri(String rawPath) {
		return URI.create("http://127.0.0.1:" + this.port + rawPath);
	}
}
