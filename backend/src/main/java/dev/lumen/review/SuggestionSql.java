package dev.lumen.review;

/** The statements that insert suggested flags; each returns the new rows' {@code id, feature_index, note}. */
final class SuggestionSql {

	private SuggestionSql() {
	}

	/**
	 * Label search. Newest label per feature of the SAE; the first keyword found in it (ILIKE with the wildcards
	 * escaped) goes into the note. Binds: category, keywords, SAE id.
	 */
	static final String LABEL_SEARCH = """
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

	/** One feature found by the prompt filter, unless it is flagged in that category already. Binds: SAE id, index, category, note. */
	static final String INSERT_ONE = """
			WITH params AS (SELECT ?::bigint AS sae_id, ?::integer AS feature_index, ?::text AS category, ?::text AS note)
			INSERT INTO flag (sae_id, feature_index, category, severity, state, note)
			SELECT p.sae_id, p.feature_index, p.category, 'LOW', 'SUGGESTED', p.note
			FROM params p
			WHERE EXISTS (SELECT 1 FROM feature x WHERE x.sae_id = p.sae_id AND x.feature_index = p.feature_index)
			  AND NOT EXISTS (SELECT 1 FROM flag f
			                  WHERE f.sae_id = p.sae_id AND f.feature_index = p.feature_index AND f.category = p.category)
			ON CONFLICT DO NOTHING
			RETURNING id, feature_index, note
			""";
}
