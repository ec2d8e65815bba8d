package dev.lumen.review;

import dev.lumen.audit.AuditLog;
import java.sql.Array;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * "Find candidates": searches the newest label (and description) of every feature of an SAE for each
 * category's keywords and puts matches into the queue as SUGGESTED flags, never as confirmed ones. A feature
 * that already has a flag of that category (in any state) is not suggested again. Admins edit the keywords.
 */
@Service
public class SuggestionService {

	/** Keywords per category at most, and characters per keyword. */
	static final int MAX_KEYWORDS = 100;

	static final int MAX_KEYWORD_LENGTH = 100;

	private final JdbcTemplate jdbc;

	private final AuditLog audit;

	public SuggestionService(JdbcTemplate jdbc, AuditLog audit) {
		this.jdbc = jdbc;
		this.audit = audit;
	}

	/** @return every category's keywords */
	@Transactional(readOnly = true)
	public Map<FlagCategory, List<String>> keywords() {
		Map<FlagCategory, List<String>> sets = new EnumMap<>(FlagCategory.class);
		for (FlagCategory c : FlagCategory.values()) {
			sets.put(c, List.of());
		}
		this.jdbc.query("SELECT category, keywords FROM suggestion_set", rs -> {
			Array keywords = rs.getArray(2);
			sets.put(FlagCategory.valueOf(rs.getString(1)), Arrays.asList((String[]) keywords.getArray()));
		});
		return sets;
	}

	/**
	 * Replaces one category's keywords; one per line or comma-separated, matched case-insensitively as substrings.
	 * @return the stored keywords
	 */
	@Transactional
	public List<String> setKeywords(String actor, FlagCategory category, String text) {
		List<String> keywords = Arrays.stream((text == null ? "" : text).split("[,\\n]"))
			.map(String::strip)
			.filter(k -> !k.isEmpty())
			.distinct()
			.toList();
		if (keywords.size() > MAX_KEYWORDS || keywords.stream().anyMatch(k -> k.length() > MAX_KEYWORD_LENGTH)) {
			throw new IllegalArgumentException("Use at most " + MAX_KEYWORDS + " keywords of at most " + MAX_KEYWORD_LENGTH
					+ " characters each");
		}
		List<String> before = keywords().get(category);
		this.jdbc.update("INSERT INTO suggestion_set (category, keywords) VALUES (?, ?::text[]) ON CONFLICT (category) "
				+ "DO UPDATE SET keywords = EXCLUDED.keywords, updated_at = now(), version = suggestion_set.version + 1",
				category.name(), keywords.toArray(String[]::new));
		this.audit.record(actor, "suggestion.keywords", "suggestion_set", category.name(), Map.of("keywords", before),
				Map.of("keywords", keywords));
		return keywords;
	}

	/**
	 * Suggests flags for the features of one SAE whose label matches a category's keywords.
	 * @return how many suggestions were added per category
	 */
	@Transactional
	public Map<FlagCategory, Integer> findCandidates(String actor, long saeId) {
		Map<FlagCategory, Integer> added = new EnumMap<>(FlagCategory.class);
		Map<FlagCategory, List<Map<String, Object>>> inserted = new EnumMap<>(FlagCategory.class);
		// every insert before any audit row: the audit log's lock always comes last, so concurrent runs wait, not deadlock
		keywords().forEach((category, keywords) -> {
			if (!keywords.isEmpty()) {
				inserted.put(category, this.jdbc.queryForList(SUGGEST_SQL, category.name(), keywords.toArray(String[]::new), saeId));
			}
		});
		inserted.forEach((category, rows) -> {
			for (Map<String, Object> row : rows) {
				long flagId = ((Number) row.get("id")).longValue();
				int index = ((Number) row.get("feature_index")).intValue();
				this.audit.recordForFeature(actor, "flag.suggest", "flag", flagId, saeId, index, null,
						Map.of("category", category.name(), "state", FlagState.SUGGESTED.name(), "note", row.get("note")));
			}
			added.put(category, rows.size());
		});
		return added;
	}

	/**
	 * Newest label per feature of the SAE; the first keyword found in it (ILIKE with the wildcards escaped) goes
	 * into the note. Binds: category, keywords, SAE id.
	 */
	private static final String SUGGEST_SQL = """
			WITH params AS (
			    SELECT ?::text AS category, ?::text[] AS keywords, ?::bigint AS sae_id
			), latest AS (
			    SELECT DISTINCT ON (l.feature_index) l.feature_index, l.label, coalesce(l.description, '') AS description
			    FROM feature_label l, params p WHERE l.sae_id = p.sae_id
			    ORDER BY l.feature_index, l.created_at DESC, l.id DESC
			), matched AS (
			    SELECT latest.feature_index, latest.label,
			           (SELECT k FROM params p, unnest(p.keywords) k
			            WHERE latest.label || ' ' || latest.description
			                  ILIKE '%' || replace(replace(replace(k, '\\', '\\\\'), '%', '\\%'), '_', '\\_') || '%'
			            LIMIT 1) AS keyword
			    FROM latest
			)
			INSERT INTO flag (sae_id, feature_index, category, severity, state, note)
			SELECT p.sae_id, m.feature_index, p.category, 'LOW', 'SUGGESTED',
			       'Suggested by label search: "' || m.keyword || '" in "' || m.label || '"'
			FROM matched m, params p
			WHERE m.keyword IS NOT NULL
			  AND NOT EXISTS (SELECT 1 FROM flag f
			                  WHERE f.sae_id = p.sae_id AND f.feature_index = m.feature_index AND f.category = p.category)
			ON CONFLICT DO NOTHING
			RETURNING id, feature_index, note
			""";

	static String summary(Map<FlagCategory, Integer> added) {
		int total = added.values().stream().mapToInt(Integer::intValue).sum();
		if (total == 0) {
			return "No new candidates: no label matched a keyword, or every match is already flagged";
		}
		return total + " new suggestion(s): " + added.entrySet()
			.stream()
			.filter(e -> e.getValue() > 0)
			.map(e -> e.getKey().title() + " " + e.getValue())
			.collect(Collectors.joining(", "));
	}
}
