package dev.lumen.feature;

import com.pgvector.PGvector;
import dev.lumen.catalog.CatalogSae;
import dev.lumen.catalog.VectorIndexKind;
import java.sql.SQLException;
import java.util.List;
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

	/** @return the decoder vector of one feature, if it exists */
	public Optional<float[]> decoder(CatalogSae sae, int featureIndex) {
		List<float[]> rows = this.jdbc.query("SELECT decoder::text FROM feature WHERE sae_id = ? AND feature_index = ? AND decoder IS NOT NULL",
				(rs, n) -> parse(rs.getString(1)), sae.getId(), featureIndex);
		return rows.stream().findFirst();
	}

	/** @return the {@code k} features of {@code sae} nearest to feature {@code featureIndex} of the same SAE */
	public List<FeatureNeighbour> neighboursOf(CatalogSae sae, int featureIndex, int k) {
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
			return "SELECT feature_index, " + exactCosine + " AS cosine FROM feature WHERE sae_id = " + id + " AND decoder IS NOT NULL ORDER BY "
					+ indexOrder + " LIMIT " + k;
		}
		// Hamming distance on sign bits only shortlists: re-rank the shortlist by exact cosine.
		return "SELECT feature_index, cosine FROM (SELECT feature_index, " + exactCosine + " AS cosine FROM "
				+ "(SELECT feature_index, decoder FROM feature WHERE sae_id = " + id + " AND decoder IS NOT NULL ORDER BY " + indexOrder
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
