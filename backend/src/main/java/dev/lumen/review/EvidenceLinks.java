package dev.lumen.review;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * Checks evidence links (a saved playground run, an external write-up) so that only http(s) URLs and Lumen
 * paths are stored: a {@code javascript:} or {@code data:} link in a flag would run in the reviewer's browser.
 */
final class EvidenceLinks {

	private EvidenceLinks() {
	}

	/**
	 * @return the link stripped, or null when blank
	 * @throws IllegalArgumentException when it is not an http(s) URL or a path starting with one {@code /}
	 */
	static String check(String link) {
		if (link == null || link.isBlank()) {
			return null;
		}
		String url = link.strip();
		if (url.length() > 2000) {
			throw new IllegalArgumentException("Evidence URL is too long (at most 2000 characters)");
		}
		try {
			URI uri = new URI(url);
			boolean lumenPath = uri.getScheme() == null && uri.getRawAuthority() == null && url.startsWith("/");
			boolean web = ("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
					&& uri.getHost() != null;
			if (lumenPath || web) {
				return url;
			}
		}
		catch (URISyntaxException ex) {
			// reported below, like any other unusable link
		}
		throw new IllegalArgumentException("Evidence URL must be an http(s) URL or a Lumen path such as /playground/runs/12, got '"
				+ url + "'");
	}
}
