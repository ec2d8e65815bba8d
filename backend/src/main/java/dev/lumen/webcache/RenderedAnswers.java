package dev.lumen.webcache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * A small server-side cache of rendered answers (feature pages for anonymous readers, JSON answers, map
 * pictures), bounded by bytes. An entry is kept with the ETag it was rendered under and used only while that
 * is still the current one, so a label change re-renders exactly the pages whose version it bumped.
 */
@Component
public class RenderedAnswers {

	/** A rendered answer: its ETag, content type and body. */
	record Answer(String etag, String contentType, byte[] body) {
	}

	private final Cache<String, Answer> cache;

	private final boolean enabled;

	RenderedAnswers(@Value("${lumen.web.rendered-cache-mb:64}") int megabytes) {
		this.enabled = megabytes > 0;
		this.cache = Caffeine.newBuilder()
			.maximumWeight(Math.max(1, megabytes) * 1024L * 1024L)
			.weigher((String key, Answer a) -> a.body().length + key.length() * 2 + 64)
			.build();
	}

	/** @return the answer stored for {@code key} when it was rendered under {@code etag}, else null */
	Answer get(String key, String etag) {
		if (!this.enabled) {
			return null;
		}
		Answer a = this.cache.getIfPresent(key);
		return a != null && a.etag().equals(etag) ? a : null;
	}

	void put(String key, Answer answer) {
		if (this.enabled) {
			this.cache.put(key, answer);
		}
	}

	/** @return answers held now (for tests and the benchmark's report) */
	public long size() {
		this.cache.cleanUp();
		return this.cache.estimatedSize();
	}
}
