package dev.lumen.embedding;

import com.pgvector.PGvector;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * Keeps one embedding of the newest label of every labelled feature in {@code label_embedding} (migration V7):
 * stores it when a label is written and re-embeds missing or stale ones (label changed since, or another
 * embedding model) in batches.
 */
@Service
public class LabelEmbeddings {

	/** Labels embedded per model call and per database round trip during a backfill. */
	static final int BATCH = 64;

	/** The newest label's hash, in SQL; equals {@link #hash(String)}. */
	static final String LABEL_HASH = "sha256(convert_to(l.label, 'UTF8'))";

	private static final String UPSERT = "INSERT INTO label_embedding (sae_id, feature_index, text_hash, embedder, embedding) "
			+ "SELECT ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM feature WHERE sae_id = ? AND feature_index = ?) "
			+ "ON CONFLICT (sae_id, feature_index) DO UPDATE SET text_hash = excluded.text_hash, "
			+ "embedder = excluded.embedder, embedding = excluded.embedding, created_at = now()";

	private final JdbcTemplate jdbc;

	private final String modelName = SharedEmbeddingModel.NAME;

	/** Embeds with the {@link SharedEmbeddingModel}, loaded on first use. */
	public LabelEmbeddings(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/** A label whose vector is missing or stale. */
	record Pending(long saeId, int featureIndex, String label) {
	}

	/**
	 * Embeds {@code text} with the shared model (a search query, say).
	 * @return the embedding, shape [384]
	 */
	public float[] embed(String text) {
		return model().embed(text).content().vector();
	}

	/**
	 * Embeds a label that was just written and stores it as the feature's vector (in the caller's transaction,
	 * if any).
	 */
	public void store(long saeId, int featureIndex, String label) {
		upsert(List.of(new Pending(saeId, featureIndex, label)), List.of(embed(label)));
	}

	/** @return how many labelled features (of one SAE, or all when null) have no current vector */
	public int countPending(Long saeId) {
		return this.jdbc.queryForObject("SELECT count(*) FROM (" + pendingSql(saeId) + ") p", Integer.class,
				Long.MIN_VALUE, Integer.MIN_VALUE, this.modelName, Integer.MAX_VALUE);
	}

	/**
	 * Embeds every label (of one SAE, or all when null) whose vector is missing or stale, in batches of
	 * {@value #BATCH}, each committed on its own: an interrupted backfill keeps what it did.
	 * @param progress told the running count after each batch
	 * @return how many labels were embedded
	 */
	public int backfill(Long saeId, IntConsumer progress) {
		int done = 0;
		long afterSae = Long.MIN_VALUE;
		int afterIndex = Integer.MIN_VALUE;
		while (true) {
			// keyset pagination: a label that cannot be stored (its feature deleted meanwhile) is not retried forever
			List<Pending> batch = this.jdbc.query(pendingSql(saeId),
					(rs, n) -> new Pending(rs.getLong(1), rs.getInt(2), rs.getString(3)), afterSae, afterIndex, this.modelName,
					BATCH);
			if (batch.isEmpty()) {
				return done;
			}
			List<TextSegment> texts = batch.stream().map(p -> TextSegment.from(p.label())).toList();
			List<float[]> vectors = model().embedAll(texts).content().stream().map(e -> e.vector()).toList();
			upsert(batch, vectors);
			done += batch.size();
			progress.accept(done);
			Pending last = batch.get(batch.size() - 1);
			afterSae = last.saeId();
			afterIndex = last.featureIndex();
		}
	}

	/** @return sha256 of the label's UTF-8 bytes, as stored in {@code text_hash} */
	public static byte[] hash(String label) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(label.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("every Java runtime has SHA-256", ex);
		}
	}

	/** Newest labels (DISTINCT ON over the feature_label_feature index) without a current vector, in key order. */
	private static String pendingSql(Long saeId) {
		String scope = saeId == null ? "" : " AND sae_id = " + saeId;
		return "SELECT l.sae_id, l.feature_index, l.label FROM (SELECT DISTINCT ON (sae_id, feature_index) sae_id, "
				+ "feature_index, label FROM feature_label WHERE (sae_id, feature_index) > (?, ?)" + scope
				+ " ORDER BY sae_id, feature_index, created_at DESC, id DESC) l "
				+ "LEFT JOIN label_embedding e ON e.sae_id = l.sae_id AND e.feature_index = l.feature_index "
				+ "WHERE (e.sae_id IS NULL OR e.text_hash <> " + LABEL_HASH + " OR e.embedder <> ?) "
				+ "ORDER BY l.sae_id, l.feature_index LIMIT ?";
	}

	private void upsert(List<Pending> labels, List<float[]> vectors) {
		List<Object[]> rows = new ArrayList<>(labels.size());
		for (int i = 0; i < labels.size(); i++) {
			Pending p = labels.get(i);
			float[] v = vectors.get(i);
			if (v.length != SharedEmbeddingModel.DIMENSIONS) {
				throw new IllegalStateException("embedding model " + this.modelName + " returned " + v.length
						+ " dimensions; label_embedding stores " + SharedEmbeddingModel.DIMENSIONS);
			}
			rows.add(new Object[] { p.saeId(), p.featureIndex(), hash(p.label()), this.modelName, new PGvector(v),
					p.saeId(), p.featureIndex() });
		}
		this.jdbc.batchUpdate(UPSERT, rows);
	}

	private static EmbeddingModel model() {
		return SharedEmbeddingModel.instance();
	}
}
