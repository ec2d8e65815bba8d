package dev.lumen.review;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/** Absolute links for exports: {@code lumen.public-url} when set, otherwise the current request's base URL. */
@Component
public class Permalinks {

	private final String publicUrl;

	public Permalinks(@Value("${lumen.public-url:}") String publicUrl) {
		this.publicUrl = publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
	}

	/** @return {@code path} (starting with /) as an absolute URL */
	public String of(String path) {
		String base = this.publicUrl.isEmpty() ? ServletUriComponentsBuilder.fromCurrentContextPath().toUriString() : this.publicUrl;
		return base + path;
	}
}
