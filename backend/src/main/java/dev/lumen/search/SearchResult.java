package dev.lumen.search;

import dev.lumen.search.SearchService.IndexHit;
import java.util.List;

/**
 * What a search found.
 * @param query the query as searched (after trimming and the length cap)
 * @param truncated whether the query was cut to {@link SearchService#MAX_QUERY_LENGTH}
 * @param redirect a permalink to go straight to, or null
 * @param mode how label matches were found
 * @param noVectors semantic mode found nothing because no label in scope has been embedded yet
 */
public record SearchResult(String query, boolean truncated, String redirect, List<IndexHit> indexHits,
		List<LabelMatch> matches, int page, boolean more, SearchMode mode, boolean noVectors) {

	static SearchResult empty(String query, SearchMode mode) {
		return new SearchResult(query, false, null, List.of(), List.of(), 1, false, mode, false);
	}

	static SearchResult redirect(String query, String href, SearchMode mode) {
		return new SearchResult(query, false, href, List.of(), List.of(), 1, false, mode, false);
	}

	static SearchResult indexHits(String query, List<IndexHit> hits, SearchMode mode) {
		return new SearchResult(query, false, null, hits, List.of(), 1, false, mode, false);
	}

	static SearchResult labelMatches(String query, boolean truncated, List<LabelMatch> matches, int page, boolean more,
			SearchMode mode, boolean noVectors) {
		return new SearchResult(query, truncated, null, List.of(), matches, page, more, mode, noVectors);
	}

	/** @return whether label matches are ranked by meaning (cosine of embeddings) */
	public boolean semantic() {
		return this.mode == SearchMode.SEMANTIC;
	}

	/** @return whether the query was empty */
	public boolean blank() {
		return this.query.isEmpty();
	}
}
