package dev.lumen.sae;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** Reads the per-SAE views: the paged feature table, the density histogram, a random feature. */
@Repository
public class SaeOverviewRepository {

	/** Density histogram range in log10(density): 1e-8 .. 1, bins of 0.25 decades. */
	public static final double LOG10_LO = -8;

	public static final double LOG10_HI = 0;

	public static final int DENSITY_BINS = 32;

	private final JdbcTemplate jdbc;

	public SaeOverviewRepository(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	private static final String FROM = "FROM feature f LEFT JOIN LATERAL (SELECT label, is_heuristic, scores "
			+ "FROM feature_label fl WHERE fl.sae_id = f.sae_id AND fl.feature_index = f.feature_index "
			+ "ORDER BY fl.created_at DESC, fl.id DESC LIMIT 1) l ON true WHERE f.sae_id = ?";

	/** @return one page of the unfiltered feature table */
	public List<FeatureRow> page(long saeId, FeatureSort sort, boolean descending, int offset, int limit) {
		return page(saeId, FeatureFilter.NONE, sort, descending, offset, limit);
	}

	/** @return one page of the feature table, with each feature's newest label and its scores */
	public List<FeatureRow> page(long saeId, FeatureFilter filter, FeatureSort sort, boolean descending, int offset,
			int limit) {
		List<Object> args = new ArrayList<>(List.of(saeId));
		String where = filter.where(args);
		args.add(limit);
		args.add(offset);
		// sort.orderBy(..) and filter.where(..) are built from constants only, never from request text
		return this.jdbc.query("SELECT f.feature_index, f.density, f.max_activation, l.label, l.is_heuristic, "
				+ "(l.scores->'embedding'->>'auroc')::float8, (l.scores->'specificity'->>'mean_active')::float8 " + FROM
				+ where + " ORDER BY " + sort.orderBy(descending) + " LIMIT ? OFFSET ?",
				(rs, n) -> new FeatureRow(rs.getInt(1), rs.getString(4), rs.getBoolean(5), nullable(rs.getFloat(2), rs.wasNull()),
						nullable(rs.getFloat(3), rs.wasNull()), (Double) rs.getObject(6), (Double) rs.getObject(7)),
				args.toArray());
	}

	/** @return the number of features stored for an SAE that pass the filter */
	public long countFeatures(long saeId, FeatureFilter filter) {
		List<Object> args = new ArrayList<>(List.of(saeId));
		String where = filter.where(args);
		Long n = this.jdbc.queryForObject("SELECT count(*) " + FROM + where, Long.class, args.toArray());
		return n == null ? 0 : n;
	}

	/** @return the number of features stored for an SAE */
	public long countFeatures(long saeId) {
		Long n = this.jdbc.queryForObject("SELECT count(*) FROM feature WHERE sae_id = ?", Long.class, saeId);
		return n == null ? 0 : n;
	}

	/**
	 * @return features per log10(density) bin over [{@link #LOG10_LO}, {@link #LOG10_HI}], plus the dead
	 *         (density 0) and not yet measured (null) counts
	 */
	public DensityCounts densityCounts(long saeId) {
		long[] bins = new long[DENSITY_BINS];
		long[] other = new long[2]; // [dead, unknown]
		this.jdbc.query("SELECT CASE WHEN density IS NULL THEN -2 WHEN density <= 0 THEN -1 "
				+ "ELSE least(greatest(width_bucket(log(density::float8), ?, ?, ?), 1), ?) - 1 END AS bin, count(*) "
				+ "FROM feature WHERE sae_id = ? GROUP BY bin", rs -> {
					int bin = rs.getInt(1);
					long count = rs.getLong(2);
					if (bin == -2) {
						other[1] += count;
					}
					else if (bin == -1) {
						other[0] += count;
					}
					else {
						bins[bin] += count;
					}
				}, LOG10_LO, LOG10_HI, DENSITY_BINS, DENSITY_BINS, saeId);
		return new DensityCounts(bins, other[0], other[1]);
	}

	/** @return a stored feature chosen uniformly among indices (the first one at or after a random index) */
	public Optional<Integer> randomFeature(long saeId, int dSae) {
		int start = java.util.concurrent.ThreadLocalRandom.current().nextInt(dSae);
		List<Integer> found = this.jdbc.queryForList("(SELECT feature_index FROM feature WHERE sae_id = ? AND feature_index >= ? "
				+ "ORDER BY feature_index LIMIT 1) UNION ALL (SELECT feature_index FROM feature WHERE sae_id = ? "
				+ "ORDER BY feature_index LIMIT 1) LIMIT 1", Integer.class, saeId, start, saeId);
		return found.stream().findFirst();
	}

	/**
	 * Feature counts by density.
	 * @param bins features per log10(density) bin, shape [DENSITY_BINS]
	 * @param dead features with density 0
	 * @param unmeasured features whose density extraction has not stored
	 */
	public record DensityCounts(long[] bins, long dead, long unmeasured) {
	}

	private static Float nullable(float v, boolean wasNull) {
		return wasNull ? null : v;
	}
}
