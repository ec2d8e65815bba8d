package dev.lumen.search;

import dev.lumen.feature.TokenVocabulary;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Reads, in one query for a page of search results, each feature's density, label scores and its top example,
 * and cuts the example to a few tokens around the strongest one.
 */
@Repository
public class SearchSnippets {

	/** Tokens shown before and after the strongest one. */
	static final int BEFORE = 6;

	static final int AFTER = 3;

	private final JdbcTemplate jdbc;

	private final TokenVocabulary vocabulary;

	public SearchSnippets(JdbcTemplate jdbc, TokenVocabulary vocabulary) {
		this.jdbc = jdbc;
		this.vocabulary = vocabulary;
	}

	/** @return each match's snippet, keyed by {@link LabelMatch#href()} */
	public Map<String, FeatureSnippet> of(List<LabelMatch> matches) {
		Map<String, FeatureSnippet> out = new HashMap<>();
		if (matches.isEmpty()) {
			return out;
		}
		String[] models = matches.stream().map(LabelMatch::modelName).toArray(String[]::new);
		String[] saes = matches.stream().map(LabelMatch::saeName).toArray(String[]::new);
		Integer[] indices = matches.stream().map(LabelMatch::featureIndex).toArray(Integer[]::new);
		this.jdbc.query(con -> {
			var ps = con.prepareStatement("SELECT w.m, w.s, w.i, sa.model_id, f.density, "
					+ "(l.scores->'embedding'->>'auroc')::float8, (l.scores->'specificity'->>'mean_active')::float8, "
					+ "c.token_ids, e.activations, e.max_position, (l.scores->'detection'->>'f1')::float8 "
					+ "FROM unnest(?::text[], ?::text[], ?::int[]) AS w(m, s, i) "
					+ "JOIN model mo ON mo.name = w.m JOIN sae sa ON sa.model_id = mo.id AND sa.name = w.s "
					+ "LEFT JOIN feature f ON f.sae_id = sa.id AND f.feature_index = w.i "
					+ "LEFT JOIN feature_example e ON e.sae_id = sa.id AND e.feature_index = w.i AND e.kind = 'top' "
					+ "AND e.interval_index = 0 AND e.rank = 0 LEFT JOIN context c ON c.id = e.context_id "
					+ "LEFT JOIN LATERAL (SELECT scores FROM feature_label fl WHERE fl.sae_id = sa.id "
					+ "AND fl.feature_index = w.i ORDER BY fl.created_at DESC, fl.id DESC LIMIT 1) l ON true");
			ps.setArray(1, con.createArrayOf("text", models));
			ps.setArray(2, con.createArrayOf("text", saes));
			ps.setArray(3, con.createArrayOf("integer", indices));
			return ps;
		}, rs -> {
			String href = "/" + rs.getString(1) + "/" + rs.getString(2) + "/" + rs.getInt(3);
			float density = rs.getFloat(5);
			Float shownDensity = rs.wasNull() ? null : density;
			out.put(href, new FeatureSnippet(tokens(rs, rs.getLong(4)), shownDensity, nullable(rs, 6), nullable(rs, 7),
					nullable(rs, 11)));
		});
		return out;
	}

	private List<FeatureSnippet.Token> tokens(ResultSet rs, long modelId) throws SQLException {
		Array ids = rs.getArray(8);
		Array acts = rs.getArray(9);
		if (ids == null || acts == null) {
			return List.of();
		}
		Integer[] tokenIds = (Integer[]) ids.getArray();
		Float[] activations = (Float[]) acts.getArray();
		int max = rs.getInt(10);
		float top = max < activations.length ? activations[max] : 0;
		List<FeatureSnippet.Token> out = new ArrayList<>();
		for (int p = Math.max(0, max - BEFORE); p <= Math.min(tokenIds.length - 1, max + AFTER); p++) {
			float a = p < activations.length ? activations[p] : 0;
			String shade = String.format(Locale.ROOT, "%.2f", top > 0 ? Math.max(0, Math.min(1, a / top)) : 0);
			out.add(new FeatureSnippet.Token(this.vocabulary.visible(modelId, tokenIds[p]), shade, p == max));
		}
		return out;
	}

	private static Double nullable(ResultSet rs, int column) throws SQLException {
		double v = rs.getDouble(column);
		return rs.wasNull() ? null : v;
	}
}
