package dev.lumen.feature;

import com.pgvector.PGvector;
import dev.lumen.catalog.CatalogSae;
import dev.lumen.catalog.VectorIndexKind;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Cosine-similarity neighbourhoods of decoder vectors, answered by each SAE's partial HNSW index.
 *
 * <p>The SAE id and dimension are written into the SQL as numbers: a partial index is only usable when the
 * planner can prove {@code sae_id = N} from the query, which a generic prepared-statement plan with a bind
 * parameter does not allow, and the cast {@code vector(d)} needs a literal anyway.
 */
@Repository
public class FeatureNeighbourRepository {

	/**
	 * HNSW's candidate list size: the smallest measured value that keeps recall@10 at 0.95 with a margin on 10k
	 * random unit vectors of 128 dims (0.97; 0.95 at 128, 0.92 at 100), the hardest case. The demo SAE's real
	 * decoders reach 1.0 already at pgvector's default 40 (docs/benchmarks.md, DecoderIndexRecallTest).
	 */
	static final int EF_SEARCH = 160;

	/** Candidates fetched through the binary-quantised index per neighbour wanted, before exact re-ranking. */
	static final int BIT_OVERSAMPLING = 20;

	private final JdbcTemplate jdbc;

	private final TransactionTemplate tx;

	public FeatureNeighbourRepository(JdbcTemplate jdbc, PlatformTransactionManager transactionManager) {
		this.jdbc = jdbc;
		this.tx = new TransactionTemplate(transactionManager);
		this.tx.setReadOnly(true);
	}

	/** @return the stored exact neighbour list (first {@code k}), or null when none was stored for the feature */
	List<FeatureNeighbour> storedNeighbours(long saeId, int featureIndex, int k) {
		List<List<FeatureNeighbour>> rows = this.jdbc.query("SELECT neighbour_indices, cosines FROM "
				+ "feature_neighbour_list WHERE sae_id = ? AND feature_index = ?", (rs, n) -> {
					Integer[] ix = (Integer[]) rs.getArray(1).getArray();
					Float[] cos = (Float[]) rs.getArray(2).getArray();
					List<FeatureNeighbour> out = new java.util.ArrayList<>(Math.min(k, ix.length));
					for (int i = 0; i < Math.min(k, ix.length); i++) {
						out.add(new FeatureNeighbour(ix[i], cos[i]));
					}
					return out;
				}, saeId, featureIndex);
		return rows.isEmpty() ? null : rows.get(0);
	}

	/**
	 * @return the feature's stored lists of nearest features in sibling SAEs (first {@code k} of each) that are
	 *     still current, i.e. computed against the sibling's present content version, by sibling SAE id
	 */
	Map<Long, List<FeatureNeighbour>> storedSiblingNeighbours(long saeId, int featureIndex, int k) {
		Map<Long, List<FeatureNeighbour>> out = new HashMap<>();
		this.jdbc.query("SELECT l.sibling_sae_id, l.neighbour_indices, l.cosines FROM feature_sibling_neighbour_list l "
				+ "LEFT JOIN sae_page_version v ON v.sae_id = l.sibling_sae_id WHERE l.sae_id = ? AND l.feature_index = ? "
				+ "AND l.sibling_content = coalesce(v.content, 1)", rs -> {
					Integer[] ix = (Integer[]) rs.getArray(2).getArray();
					Float[] cos = (Float[]) rs.getArray(3).getArray();
					List<FeatureNeighbour> list = new ArrayList<>();
					for (int i = 0; i < Math.min(k, ix.length); i++) {
						list.add(new FeatureNeighbour(ix[i], cos[i]));
					}
					out.put(rs.getLong(1), list);
				}, saeId, featureIndex);
		return out;
	}

	/**
	 * Stores a list found through the sibling's HNSW index, against the sibling's present content version, so the
	 * next view of the page reads it instead of querying again.
	 */
	void storeSiblingNeighbours(long saeId, int featureIndex, long siblingSaeId, List<FeatureNeighbour> found) {
		Integer[] ix = found.stream().map(FeatureNeighbour::featureIndex).toArray(Integer[]::new);
		Float[] cos = found.stream().map(n -> (float) n.cosine()).toArray(Float[]::new);
		this.jdbc.update(con -> {
			PreparedStatement ps = con.prepareStatement("INSERT INTO feature_sibling_neighbour_list (sae_id, feature_index, "
					+ "sibling_sae_id, sibling_content, exact, neighbour_indices, cosines) SELECT ?, ?, s.id, "
					+ "coalesce(v.content, 1), false, ?, ? FROM sae s LEFT JOIN sae_page_version v ON v.sae_id = s.id "
					+ "WHERE s.id = ? ON CONFLICT (sae_id, feature_index, sibling_sae_id) DO UPDATE SET sibling_content = "
					+ "EXCLUDED.sibling_content, exact = false, neighbour_indices = EXCLUDED.neighbour_indices, "
					+ "cosines = EXCLUDED.cosines");
			ps.setLong(1, saeId);
			ps.setInt(2, featureIndex);
			ps.setArray(3, con.createArrayOf("integer", ix));
			ps.setArray(4, con.createArrayOf("real", cos));
			ps.setLong(5, siblingSaeId);
			return ps;
		});
	}

	/** @return the decoder vector of one feature, if it exists */
	public Optional<float[]> decoder(CatalogSae sae, int featureIndex) {
		List<float[]> rows = this.jdbc.query("SELECT decoder::text FROM feature_decoder WHERE sae_id = ? AND feature_index = ?",
				(rs, n) -> parse(rs.getString(1)), sae.getId(), featureIndex);
		return rows.stream().findFirst();
	}

	/**
	 * @return the {@code k} features of {@code sae} nearest to feature {@code featureIndex} of the same SAE: the
	 *     exact list stored at extraction ({@code lumen map}) when there is one, else a live HNSW query
	 */
	public List<FeatureNeighbour> neighboursOf(CatalogSae sae, int featureIndex, int k) {
		List<FeatureNeighbour> stored = storedNeighbours(sae.getId(), featureIndex, k);
		if (stored != null) {
			return stored;
		}
		return decoder(sae, featureIndex)
			.map(q -> nearest(sae, q, k + 1).stream().filter(n -> n.featureIndex() != featureIndex).limit(k).toList())
			.orElse(List.of());
	}

	/**
	 * Nearest decoder vectors in {@code sae} to {@code query} by cosine, through the SAE's HNSW index.
	 * @param query a vector of length {@code sae.getDIn()}
	 */
	public List<FeatureNeighbour> nearest(CatalogSae sae, float[] query, int k) {
		return nearest(sae, query, k, EF_SEARCH);
	}

	/** {@link #nearest(CatalogSae, float[], int)} with another HNSW candidate list size (recall measurements). */
	List<FeatureNeighbour> nearest(CatalogSae sae, float[] query, int k, int efSearch) {
		if (query.length != sae.getDIn()) {
			throw new IllegalArgumentException("query has " + query.length + " dimensions, SAE " + sae.getName()
					+ " has d_in = " + sae.getDIn());
		}
		String sql = nearestSql(sae, k);
		PGvector q = new PGvector(query);
		return this.tx.execute(status -> {
			this.jdbc.execute("SET LOCAL hnsw.ef_search = " + Math.max(efSearch, 2 * k));
			return this.jdbc.query(sql, (rs, n) -> new FeatureNeighbour(rs.getInt(1), rs.getDouble(2)), q, q);
		});
	}

	/** @return the EXPLAIN output of the neighbour query, for checking that the index is used */
	List<String> explainNearest(CatalogSae sae, float[] query, int k) {
		PGvector q = new PGvector(query);
		return this.tx.execute(status -> {
			this.jdbc.execute("SET LOCAL hnsw.ef_search = " + Math.max(EF_SEARCH, 2 * k));
			return this.jdbc.queryForList("EXPLAIN " + nearestSql(sae, k), String.class, q, q);
		});
	}

	static String nearestSql(CatalogSae sae, int k) {
		VectorIndexKind kind = sae.getVectorIndex();
		int d = sae.getDIn();
		long id = sae.getId();
		String exactCosine = "1 - (decoder <=> (?)::vector(" + d + "))";
		String indexOrder = kind.indexedExpression(d) + " " + kind.distanceOperator() + " " + kind.queryExpression("?", d);
		if (kind != VectorIndexKind.BIT) {
			return "SELECT feature_index, " + exactCosine + " AS cosine FROM feature_decoder WHERE sae_id = " + id + " ORDER BY "
					+ indexOrder + " LIMIT " + k;
		}
		// Hamming distance on sign bits only shortlists: re-rank the shortlist by exact cosine.
		return "SELECT feature_index, cosine FROM (SELECT feature_index, " + exactCosine + " AS cosine FROM "
				+ "(SELECT feature_index, decoder FROM feature_decoder WHERE sae_id = " + id + " ORDER BY " + indexOrder
				+ " LIMIT " + (k * BIT_OVERSAMPLING) + ") shortlist) ranked ORDER BY cosine DESC LIMIT " + k;
	}

	private static float[] parse(String text) {
		try {
			return new PGvector(text).toArray();
		}
		catch (SQLException ex) {
			throw new IllegalStateException("unreadable vector in the database: " + ex.getMessage(), ex);
		}
	}
}
