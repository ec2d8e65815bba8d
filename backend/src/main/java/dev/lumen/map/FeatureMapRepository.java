package dev.lumen.map;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** Reads maps and the per-feature values points are coloured and labelled by. */
@Repository
public class FeatureMapRepository {

	/** What a point shows beyond its position: newest label, flagged (an open or confirmed flag), score. */
	public record PointInfo(String label, boolean flagged, Double score) {
	}

	private final JdbcTemplate jdbc;

	public FeatureMapRepository(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/** @return the SAE's whole map, or empty when {@code lumen map} has not run for it */
	public Optional<MapData> load(long saeId) {
		List<Object[]> summary = this.jdbc.query("SELECT method, seed, n_laid_out FROM sae_map WHERE sae_id = ?",
				(rs, n) -> new Object[] { rs.getString(1), rs.getLong(2), rs.getInt(3) }, saeId);
		if (summary.isEmpty()) {
			return Optional.empty();
		}
		List<MapData.Cluster> clusters = this.jdbc.query("SELECT (c->>'id')::int, (c->>'size')::int, (c->>'x')::real, "
				+ "(c->>'y')::real FROM sae_map, jsonb_array_elements(clusters) c WHERE sae_id = ? ORDER BY 1",
				(rs, n) -> new MapData.Cluster(rs.getInt(1), rs.getInt(2), rs.getFloat(3), rs.getFloat(4)), saeId);
		Integer count = this.jdbc.queryForObject("SELECT count(*) FROM feature_map_point WHERE sae_id = ?", Integer.class,
				saeId);
		int n = count == null ? 0 : count;
		int[] index = new int[n], cluster = new int[n];
		float[] x = new float[n], y = new float[n], density = new float[n], max = new float[n];
		int[] row = { 0 };
		this.jdbc.query("SELECT p.feature_index, p.x, p.y, p.cluster, f.density, f.max_activation FROM feature_map_point p "
				+ "JOIN feature f ON f.sae_id = p.sae_id AND f.feature_index = p.feature_index WHERE p.sae_id = ? "
				+ "ORDER BY p.feature_index", (ResultSet rs) -> {
					int r = row[0]++;
					if (r >= n) {
						return; // rows added since the count: the next load sees them
					}
					index[r] = rs.getInt(1);
					x[r] = rs.getFloat(2);
					y[r] = rs.getFloat(3);
					cluster[r] = rs.getInt(4);
					density[r] = floatOrNaN(rs, 5);
					max[r] = floatOrNaN(rs, 6);
				}, saeId);
		Object[] s = summary.get(0);
		return Optional.of(new MapData(saeId, (String) s[0], (Long) s[1], (Integer) s[2], index, x, y, cluster, density,
				max, clusters));
	}

	/** @return label, flag and score of the given features (those without any are absent) */
	public Map<Integer, PointInfo> info(long saeId, int[] indices) {
		Map<Integer, PointInfo> out = new HashMap<>();
		if (indices.length == 0) {
			return out;
		}
		this.jdbc.query("SELECT i, l.label, EXISTS (SELECT 1 FROM flag g WHERE g.sae_id = ? AND g.feature_index = i "
				+ "AND g.state IN ('OPEN', 'IN_REVIEW', 'CONFIRMED')), coalesce((l.scores->'detection'->>'f1')::float8, "
				+ "(l.scores->'specificity'->>'mean_active')::float8 / 3) FROM unnest(?::int[]) i LEFT JOIN LATERAL "
				+ "(SELECT label, scores FROM feature_label WHERE sae_id = ? AND feature_index = i ORDER BY created_at DESC, "
				+ "id DESC LIMIT 1) l ON true", (ResultSet rs) -> {
					double score = rs.getDouble(4);
					out.put(rs.getInt(1), new PointInfo(rs.getString(2), rs.getBoolean(3), rs.wasNull() ? null : score));
				}, saeId, indices, saeId);
		return out;
	}

	/** @return the newest label of every labelled feature of the SAE */
	public Map<Integer, String> allLabels(long saeId) {
		Map<Integer, String> out = new HashMap<>();
		this.jdbc.query("SELECT DISTINCT ON (feature_index) feature_index, label FROM feature_label WHERE sae_id = ? "
				+ "ORDER BY feature_index, created_at DESC, id DESC", (ResultSet rs) -> {
					out.put(rs.getInt(1), rs.getString(2));
				}, saeId);
		return out;
	}

	/** @return features whose newest label contains every word of the query (case-insensitive), at most {@code limit} */
	public List<Integer> search(long saeId, String query, int limit) {
		List<String> words = new ArrayList<>();
		for (String w : query.trim().split("\\s+")) {
			if (!w.isEmpty()) {
				words.add("%" + w.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
			}
		}
		if (words.isEmpty()) {
			return List.of();
		}
		return this.jdbc.queryForList("SELECT feature_index FROM (SELECT DISTINCT ON (feature_index) feature_index, label "
				+ "FROM feature_label WHERE sae_id = ? ORDER BY feature_index, created_at DESC, id DESC) l "
				+ "WHERE label ILIKE ALL (?::text[]) ORDER BY feature_index LIMIT ?", Integer.class, saeId,
				words.toArray(String[]::new), limit);
	}

	private static float floatOrNaN(ResultSet rs, int column) throws SQLException {
		float v = rs.getFloat(column);
		return rs.wasNull() ? Float.NaN : v;
	}
}
