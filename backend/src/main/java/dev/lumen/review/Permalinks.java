package dev.lumen.review;

import dev.lumen.system.PublicUrl;
import org.springframework.stereotype.Component;

/** Absolute links for exports, on the configured public base URL ({@link PublicUrl}), never the request's host. */
@Component
public class Permalinks {

	private final PublicUrl publicUrl;

	public Permalinks(PublicUrl publicUrl) {
		this.publicUrl = publicUrl;
	}

	/** @return {@code path} (starting with /) as an absolute URL */
	public String of(String path) {
		return this.publicUrl.of(path);
	}
}
