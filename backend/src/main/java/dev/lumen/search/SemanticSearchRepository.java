package dev.lumen.search;

import com.pgvector.PGvector;
import dev.lumen.embedding.LabelEmbeddings;
import dev.lumen.embedding.SharedEmbeddingModel;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Ranks features by the cosine similarity of their newest label's embedding ({@code label_embedding}, migration V7)
 * to the query's, through the HNSW index. Vectors of an older label (stale until the backfill re-embeds them) are
 * skipped: the score must describe the label shown.
 */
@Repository
public class SemanticSearchRepository {

	/**
	 * HNSW candidate list. Label embeddings of one language cluster much more than random vectors, and a scoped search
	 * keeps scanning (iterative scan, strict order) until it has enough rows of that SAE.
	 */
	static final int EF_SEARCH = 100;

	private final JdbcTemplate jdbc;

	private final LabelEmbeddings embeddings;

	private final TransactionTemplate tx;

	public SemanticSearchRepository(JdbcTemplate jdbc, LabelEmbeddings embeddings,
			PlatformTransactionManager transactionManager) {
		this.jdbc = jdbc;
		this.embeddings = embeddings;
		this.tx = new TransactionTemplate(transactionManager);
		this.tx.setReadOnly(true);
	}

	/**
	 * @param saeId restrict to one SAE, or null for all
	 * @return up to {@code limit} features, most similar label first; {@link LabelMatch#score()} is the cosine
	 */
	public List<LabelMatch> search(String query, Long saeId, int limit, int offset) {
		PGvector q = new PGvector(this.embeddings.embed(query));
		String sql = sql(saeId);
		return this.tx.execute(status -> {
			this.jdbc.execute("SET LOCAL hnsw.ef_search = " + Math.max(EF_SEARCH, limit + offset));
			this.jdbc.execute("SET LOCAL hnsw.iterative_scan = strict_order");
			return this.jdbc.query(sql, (rs, n) -> new LabelMatch(rs.getString(1), rs.getString(2), rs.getInt(3),
					rs.getString(4), rs.getString(5), rs.getBoolean(6), rs.getDouble(7)), q, q, limit, offset);
		});
	}

	/** @return whether any label (of one SAE, or any when null) has a vector yet */
	public boolean anyVectors(Long saeId) {
		return Boolean.TRUE.equals(this.jdbc.queryForObject("SELECT EXISTS (SELECT 1 FROM label_embedding"
				+ (saeId == null ? "" : " WHERE sae_id = " + saeId) + ")", Boolean.class));
	}

	/** The SAE id is written in as a number, like the decoder neighbour queries (feature/FeatureNeighbourRepository). */
	static String sql(Long saeId) {
		String vector = "(?)::vector(" + SharedEmbeddingModel.DIMENSIONS + ")";
		return "SELECT m.name, s.name, e.feature_index, l.label, l.description, l.is_heuristic, "
				+ "1 - (e.embedding <=> " + vector + ") AS score FROM label_embedding e "
				// only the newest label of each feature counts
				+ "CROSS JOIN LATERAL (SELECT label, description, is_heuristic FROM feature_label n "
				+ "WHERE n.sae_id = e.sae_id AND n.feature_index = e.feature_index ORDER BY created_at DESC, id DESC LIMIT 1) l "
				+ "JOIN sae s ON s.id = e.sae_id JOIN model m ON m.id = s.model_id "
				+ "WHERE e.text_hash = sha256(convert_to(l.label, 'UTF8')) AND e.embedder = '" + SharedEmbeddingModel.NAME + "'"
				+ (saeId == null ? "" : " AND e.sae_id = " + saeId)
				+ " ORDER BY e.embedding <=> " + vector + " LIMIT ? OFFSET ?";
	}
}
