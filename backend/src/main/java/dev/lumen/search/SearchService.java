package dev.lumen.search;

import dev.lumen.sae.ResolvedSae;
import dev.lumen.sae.SaeDirectory;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.stereotype.Service;

/** Interprets a search box: a permalink path, a feature index, or words to find in labels. */
@Service
public class SearchService {

	/** Longer queries are cut to this many characters (and the page says so). */
	public static final int MAX_QUERY_LENGTH = 200;

	public static final int PAGE_SIZE = 25;

	/** Deeper pages are not served: semantic search ranks every labelled feature, and nobody reads page 400. */
	public static final int MAX_PAGE = 40;

	private static final Pattern INDEX = Pattern.compile("#?([0-9]{1,10})");

	private static final Pattern PERMALINK = Pattern.compile("/?([a-z0-9][a-z0-9._-]*)/([a-z0-9][a-z0-9._-]*)/([0-9]{1,10})/?");

	private final SaeDirectory directory;

	private final LabelSearchRepository labels;

	private final SemanticSearchRepository semantic;

	public SearchService(SaeDirectory directory, LabelSearchRepository labels, SemanticSearchRepository semantic) {
		this.directory = directory;
		this.labels = labels;
		this.semantic = semantic;
	}

	/** @return the SAE a scope parameter {@code model/sae} names, if any (unknown ones throw) */
	public Optional<ResolvedSae> scope(String scope) {
		if (scope == null || scope.isBlank() || !scope.contains("/")) {
			return Optional.empty();
		}
		int slash = scope.indexOf('/');
		return Optional.of(this.directory.resolve(scope.substring(0, slash), scope.substring(slash + 1)));
	}

	/**
	 * @param mode how words are matched against labels (indices and permalinks work in both)
	 * @return the search's outcome: a feature to go to, index hits, or label matches
	 */
	public SearchResult search(String rawQuery, ResolvedSae scope, int page, SearchMode mode) {
		String query = rawQuery == null ? "" : rawQuery.strip();
		boolean truncated = query.length() > MAX_QUERY_LENGTH;
		if (truncated) {
			query = query.substring(0, MAX_QUERY_LENGTH);
		}
		if (query.isEmpty()) {
			return SearchResult.empty(query, mode);
		}
		Matcher permalink = PERMALINK.matcher(query);
		if (permalink.matches()) {
			ResolvedSae sae = this.directory.resolve(permalink.group(1), permalink.group(2));
			int index = this.directory.featureIndex(sae, permalink.group(3));
			return SearchResult.redirect(query, sae.featureHref(index), mode);
		}
		Matcher index = INDEX.matcher(query);
		if (index.matches()) {
			long i = Long.parseLong(index.group(1));
			List<ResolvedSae> saes = scope != null ? List.of(scope) : this.directory.all();
			List<IndexHit> hits = saes.stream()
				.filter(s -> i < s.sae().getDSae())
				.map(s -> new IndexHit(s, (int) i))
				.toList();
			if (hits.size() == 1) {
				return SearchResult.redirect(query, hits.get(0).href(), mode);
			}
			return SearchResult.indexHits(query, hits, mode);
		}
		int p = Math.min(Math.max(1, page), MAX_PAGE);
		Long saeId = scope == null ? null : scope.saeId();
		List<LabelMatch> matches = mode == SearchMode.SEMANTIC
				? this.semantic.search(query, saeId, PAGE_SIZE + 1, (p - 1) * PAGE_SIZE)
				: this.labels.search(query, saeId, PAGE_SIZE + 1, (p - 1) * PAGE_SIZE);
		boolean more = matches.size() > PAGE_SIZE && p < MAX_PAGE;
		boolean noVectors = mode == SearchMode.SEMANTIC && matches.isEmpty() && !this.semantic.anyVectors(saeId);
		return SearchResult.labelMatches(query, truncated, matches.size() > PAGE_SIZE ? matches.subList(0, PAGE_SIZE)
				: matches, p, more, mode, noVectors);
	}

	/** A feature index found in an SAE. */
	public record IndexHit(ResolvedSae sae, int index) {

		public String href() {
			return this.sae.featureHref(this.index);
		}
	}
}
