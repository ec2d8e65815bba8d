package dev.lumen.feature;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads what extraction and autointerp stored about single features. Plain SQL: every method is one query
 * on a primary key or its prefix, so a feature page costs a handful of index lookups.
 */
@Repository
public class FeatureRepository {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final TypeReference<Map<String, Object>> JSON_OBJECT = new TypeReference<>() {
	};

	/** Latest label first; ties (same transaction) by id. */
	static final String LATEST_LABEL_ORDER = "created_at DESC, id DESC";

	private static final String EXAMPLES = "SELECT e.kind, e.interval_index, e.rank, c.corpus, c.doc_index, c.start_pos, "
			+ "e.max_position, e.max_activation, c.token_ids, e.activations FROM feature_example e "
			+ "JOIN context c ON c.id = e.context_id ";

	private final JdbcTemplate jdbc;

	public FeatureRepository(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/** @return the statistics of one feature, if the SAE has it */
	public Optional<FeatureStats> findStats(long saeId, int featureIndex) {
		return this.jdbc
			.query("SELECT feature_index, density, max_activation, mean_activation FROM feature "
					+ "WHERE sae_id = ? AND feature_index = ?", (rs, n) -> stats(rs), saeId, featureIndex)
			.stream()
			.findFirst();
	}

	/** @return the number of features stored for an SAE (extraction may not have filled all d_sae yet) */
	public long countFeatures(long saeId) {
		Long n = this.jdbc.queryForObject("SELECT count(*) FROM feature WHERE sae_id = ?", Long.class, saeId);
		return n == null ? 0 : n;
	}

	/** @return every example of a feature, ordered by kind (top, interval, zero), interval and rank */
	public List<StoredExample> findExamples(long saeId, int featureIndex) {
		return this.jdbc.query(EXAMPLES + "WHERE e.sae_id = ? AND e.feature_index = ? "
				+ "ORDER BY CASE e.kind WHEN 'top' THEN 0 WHEN 'interval' THEN 1 ELSE 2 END, e.interval_index DESC, e.rank",
				(rs, n) -> example(rs), saeId, featureIndex);
	}

	/** @return the top and zero examples of a feature (the page shows them at once), top first, by rank */
	public List<StoredExample> findTopAndZeroExamples(long saeId, int featureIndex) {
		return this.jdbc.query(EXAMPLES + "WHERE e.sae_id = ? AND e.feature_index = ? AND e.kind <> 'interval' "
				+ "ORDER BY e.kind = 'zero', e.rank", (rs, n) -> example(rs), saeId, featureIndex);
	}

	/** @return the examples of one activation interval of a feature, by rank */
	public List<StoredExample> findIntervalExamples(long saeId, int featureIndex, int interval) {
		return this.jdbc.query(EXAMPLES + "WHERE e.sae_id = ? AND e.feature_index = ? AND e.kind = 'interval' "
				+ "AND e.interval_index = ? ORDER BY e.rank", (rs, n) -> example(rs), saeId, featureIndex, interval);
	}

	/** @return per activation interval of a feature: how many examples and their max activations' range */
	public List<IntervalSummary> findIntervalSummaries(long saeId, int featureIndex) {
		return this.jdbc.query("SELECT interval_index, count(*), min(max_activation), max(max_activation) "
				+ "FROM feature_example WHERE sae_id = ? AND feature_index = ? AND kind = 'interval' "
				+ "GROUP BY interval_index ORDER BY max(max_activation) DESC, interval_index DESC",
				(rs, n) -> new IntervalSummary(rs.getInt(1), rs.getInt(2), rs.getFloat(3), rs.getFloat(4)), saeId,
				featureIndex);
	}

	/** One activation interval's examples, summarised. */
	public record IntervalSummary(int intervalIndex, int count, float minActivation, float maxActivation) {
	}

	/** @return one histogram of a feature, e.g. kind {@code activation} */
	public Optional<Histogram> findHistogram(long saeId, int featureIndex, String kind) {
		return this.jdbc
			.query("SELECT bin_edges, counts FROM feature_histogram WHERE sae_id = ? AND feature_index = ? AND kind = ?",
					(rs, n) -> new Histogram(SqlArrays.floats(rs, "bin_edges"), SqlArrays.longs(rs, "counts")), saeId,
					featureIndex, kind)
			.stream()
			.findFirst();
	}

	public Optional<LogitEffects> findLogitEffects(long saeId, int featureIndex) {
		return this.jdbc
			.query("SELECT top_token_ids, top_values, bottom_token_ids, bottom_values FROM feature_logit_effect "
					+ "WHERE sae_id = ? AND feature_index = ?",
					(rs, n) -> new LogitEffects(SqlArrays.ints(rs, "top_token_ids"), SqlArrays.floats(rs, "top_values"),
							SqlArrays.ints(rs, "bottom_token_ids"), SqlArrays.floats(rs, "bottom_values")),
					saeId, featureIndex)
			.stream()
			.findFirst();
	}

	public Optional<Cooccurrence> findCooccurrence(long saeId, int featureIndex) {
		return this.jdbc
			.query("SELECT other_indices, scores FROM feature_cooccurrence WHERE sae_id = ? AND feature_index = ?",
					(rs, n) -> new Cooccurrence(SqlArrays.ints(rs, "other_indices"), SqlArrays.floats(rs, "scores")), saeId,
					featureIndex)
			.stream()
			.findFirst();
	}

	/** @return the newest label of a feature */
	public Optional<FeatureLabel> findLatestLabel(long saeId, int featureIndex) {
		return this.jdbc
			.query("SELECT id, label, description, explainer, is_heuristic, scores::text AS scores, created_at "
					+ "FROM feature_label WHERE sae_id = ? AND feature_index = ? ORDER BY " + LATEST_LABEL_ORDER + " LIMIT 1",
					(rs, n) -> label(rs), saeId, featureIndex)
			.stream()
			.findFirst();
	}

	/** @return every specificity rating behind one label */
	public List<SpecificityRating> findSpecificityRatings(long labelId) {
		return this.jdbc.query("SELECT activation, score FROM specificity_rating WHERE label_id = ?",
				(rs, n) -> new SpecificityRating(rs.getFloat(1), rs.getInt(2)), labelId);
	}

	/** @return the newest label text of each of the given features of one SAE that has one */
	public Map<Integer, String> findLabelTexts(long saeId, int[] featureIndices) {
		Map<Integer, String> out = new HashMap<>();
		if (featureIndices.length == 0) {
			return out;
		}
		Integer[] boxed = Arrays.stream(featureIndices).boxed().toArray(Integer[]::new);
		this.jdbc.query(con -> {
			var ps = con.prepareStatement("SELECT DISTINCT ON (feature_index) feature_index, label FROM feature_label "
					+ "WHERE sae_id = ? AND feature_index = ANY(?) ORDER BY feature_index, " + LATEST_LABEL_ORDER);
			ps.setLong(1, saeId);
			ps.setArray(2, con.createArrayOf("integer", boxed));
			return ps;
		}, rs -> {
			out.put(rs.getInt(1), rs.getString(2));
		});
		return out;
	}

	private static FeatureStats stats(ResultSet rs) throws SQLException {
		return new FeatureStats(rs.getInt("feature_index"), nullableFloat(rs, "density"),
				nullableFloat(rs, "max_activation"), nullableFloat(rs, "mean_activation"));
	}

	private static StoredExample example(ResultSet rs) throws SQLException {
		return new StoredExample(rs.getString("kind"), rs.getInt("interval_index"), rs.getInt("rank"),
				rs.getString("corpus"), rs.getInt("doc_index"), rs.getInt("start_pos"), rs.getInt("max_position"),
				rs.getFloat("max_activation"), SqlArrays.ints(rs, "token_ids"), SqlArrays.floats(rs, "activations"));
	}

	private static FeatureLabel label(ResultSet rs) throws SQLException {
		Map<String, Object> scores = JSON.readValue(rs.getString("scores"), JSON_OBJECT);
		return new FeatureLabel(rs.getLong("id"), rs.getString("label"), rs.getString("description"),
				rs.getString("explainer"), rs.getBoolean("is_heuristic"), scores,
				rs.getObject("created_at", java.time.OffsetDateTime.class));
	}

	private static Float nullableFloat(ResultSet rs, String column) throws SQLException {
		float v = rs.getFloat(column);
		return rs.wasNull() ? null : v;
	}
}
