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

	private static final Pattern INDEX = Pattern.compile("#?([0-9]{1,10})");

	private static final Pattern PERMALINK = Pattern.compile("/?([a-z0-9][a-z0-9._-]*)/([a-z0-9][a-z0-9._-]*)/([0-9]{1,10})/?");

	private final SaeDirectory directory;

	private final LabelSearchRepository labels;

	public SearchService(SaeDirectory directory, LabelSearchRepository labels) {
		this.directory = directory;
		this.labels = labels;
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
	 * @return the search's outcome: a feature to go to, index hits, or label matches
	 */
	public SearchResult search(String rawQuery, ResolvedSae scope, int page) {
		String query = rawQuery == null ? "" : rawQuery.strip();
		boolean truncated = query.length() > MAX_QUERY_LENGTH;
		if (truncated) {
			query = query.substring(0, MAX_QUERY_LENGTH);
		}
		if (query.isEmpty()) {
			return SearchResult.empty(query);
		}
		Matcher permalink = PERMALINK.matcher(query);
		if (permalink.matches()) {
			ResolvedSae sae = this.directory.resolve(permalink.group(1), permalink.group(2));
			int index = this.directory.featureIndex(sae, permalink.group(3));
			return SearchResult.redirect(query, sae.featureHref(index));
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
				return SearchResult.redirect(query, hits.get(0).href());
			}
			return SearchResult.indexHits(query, hits);
		}
		int p = Math.max(1, page);
		List<LabelMatch> matches = this.labels.search(query, scope == null ? null : scope.saeId(), PAGE_SIZE + 1,
				(p - 1) * PAGE_SIZE);
		boolean more = matches.size() > PAGE_SIZE;
		return SearchResult.labelMatches(query, truncated, more ? matches.subList(0, PAGE_SIZE) : matches, p, more);
	}

	/** A feature index found in an SAE. */
	public record IndexHit(ResolvedSae sae, int index) {

		public String href() {
			return this.sae.featureHref(this.index);
		}
	}
}
