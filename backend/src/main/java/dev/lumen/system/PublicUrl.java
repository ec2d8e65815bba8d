package dev.lumen.system;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The server's public base URL for absolute links (share links, OpenGraph permalinks, exports): {@code lumen.public-url}
 * ({@code LUMEN_PUBLIC_URL}), default {@code http://localhost:<server.port>}. Never taken from the request's
 * {@code Host} header, which any client sets: a forged host must not end up in a shared export.
 */
@Component
public class PublicUrl {

	private final String base;

	public PublicUrl(@Value("${lumen.public-url:}") String configured, @Value("${server.port:8080}") int port) {
		String base = configured == null || configured.isBlank() ? "http://localhost:" + (port > 0 ? port : 8080) : configured.strip();
		if (!base.startsWith("http://") && !base.startsWith("https://")) {
			throw new IllegalArgumentException("lumen.public-url must start with http:// or https://, got '" + base + "'");
		}
		this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
	}

	/** @return {@code path} (starting with /) as an absolute URL */
	public String of(String path) {
		return this.base + path;
	}
}
