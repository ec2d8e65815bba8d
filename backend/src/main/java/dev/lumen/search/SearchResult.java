package dev.lumen.search;

import dev.lumen.search.SearchService.IndexHit;
import java.util.List;

/**
 * What a search found.
 * @param query the query as searched (after trimming and the length cap)
 * @param truncated whether the query was cut to {@link SearchService#MAX_QUERY_LENGTH}
 * @param redirect a permalink to go straight to, or null
 */
public record SearchResult(String query, boolean truncated, String redirect, List<IndexHit> indexHits,
		List<LabelMatch> matches, int page, boolean more) {

	static SearchResult empty(String query) {
		return new SearchResult(query, false, null, List.of(), List.of(), 1, false);
	}

	static SearchResult redirect(String query, String href) {
		return new SearchResult(query, false, href, List.of(), List.of(), 1, false);
	}

	static SearchResult indexHits(String query, List<IndexHit> hits) {
		return new SearchResult(query, false, null, hits, List.of(), 1, false);
	}

	static SearchResult labelMatches(String query, boolean truncated, List<LabelMatch> matches, int page, boolean more) {
		return new SearchResult(query, truncated, null, List.of(), matches, page, more);
	}

	/** @return whether the query was empty */
	public boolean blank() {
		return this.query.isEmpty();
	}
}
