package dev.lumen.search;

import java.util.ArrayList;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Searches the newest label of every feature by PostgreSQL full-text search (stemmed words, {@code websearch}
 * syntax: quotes, OR, -word) and trigram word similarity (typos, partial words), ranked by both; a feature whose
 * label itself matches ranks above one whose description merely mentions the words.
 */
@Repository
public class LabelSearchRepository {

	/** The searched text; must equal the expression of the V3 indexes. */
	static final String DOCUMENT = "(l.label || ' ' || coalesce(l.description, ''))";

	/** Query words matched by trigram similarity; more only slow the query down. */
	static final int MAX_WORDS = 8;

	private final JdbcTemplate jdbc;

	public LabelSearchRepository(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * @param saeId restrict to one SAE, or null for all
	 * @return up to {@code limit} matches, best first
	 */
	public List<LabelMatch> search(String query, Long saeId, int limit, int offset) {
		List<String> words = words(query);
		List<Object> args = new ArrayList<>();
		args.add(query);
		// trigram: every word of the query is similar to some word of the label (so typos still match)
		StringBuilder similar = new StringBuilder();
		StringBuilder similarity = new StringBuilder();
		for (String w : words) {
			similar.append(similar.isEmpty() ? "" : " AND ").append("?::text <% ").append(DOCUMENT);
			similarity.append(similarity.isEmpty() ? "" : " + ").append("word_similarity(?::text, ").append(DOCUMENT).append(')');
		}
		List<Object> scoreArgs = new ArrayList<>(words);
		String scope = saeId != null ? " AND l.sae_id = " + saeId : "";
		// the label alone, by full text or (when every word is trigram-similar to a word of it) by trigrams
		StringBuilder inLabel = new StringBuilder("to_tsvector('english', l.label) @@ q.ts");
		for (int i = 0; i < words.size(); i++) {
			inLabel.append(i == 0 ? " OR (" : " AND ").append("?::text <% l.label");
		}
		if (!words.isEmpty()) {
			inLabel.append(')');
		}
		String sql = "WITH q AS (SELECT websearch_to_tsquery('english', ?) AS ts) "
				+ "SELECT m.name, s.name, l.feature_index, l.label, l.description, l.is_heuristic, "
				+ "ts_rank(to_tsvector('english', " + DOCUMENT + "), q.ts) + (" + (words.isEmpty() ? "0" : similarity) + ") / "
				+ Math.max(1, words.size()) + " AS score, (" + inLabel + ") AS in_label "
				+ "FROM feature_label l CROSS JOIN q JOIN sae s ON s.id = l.sae_id JOIN model m ON m.id = s.model_id "
				+ "WHERE (to_tsvector('english', " + DOCUMENT + ") @@ q.ts" + (words.isEmpty() ? "" : " OR (" + similar + ")")
				+ ")" + scope
				// only the newest label of each feature counts
				+ " AND NOT EXISTS (SELECT 1 FROM feature_label n WHERE n.sae_id = l.sae_id AND n.feature_index = l.feature_index"
				+ " AND (n.created_at, n.id) > (l.created_at, l.id)) "
				+ "ORDER BY in_label DESC, score DESC, m.name, s.name, l.feature_index LIMIT ? OFFSET ?";
		List<Object> all = new ArrayList<>(args);
		all.addAll(scoreArgs);
		all.addAll(words); // in_label
		all.addAll(words);
		all.add(limit);
		all.add(offset);
		return this.jdbc.query(sql, (rs, n) -> new LabelMatch(rs.getString(1), rs.getString(2), rs.getInt(3),
				rs.getString(4), rs.getString(5), rs.getBoolean(6), rs.getDouble(7)), all.toArray());
	}

	/** @return the query's words for trigram matching: letters and digits, at most {@link #MAX_WORDS} */
	static List<String> words(String query) {
		List<String> out = new ArrayList<>();
		for (String w : query.toLowerCase(java.util.Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
			if (!w.isEmpty() && out.size() < MAX_WORDS) {
				out.add(w);
			}
		}
		return out;
	}
}
