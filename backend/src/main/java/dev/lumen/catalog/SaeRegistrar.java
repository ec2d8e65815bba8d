package dev.lumen.catalog;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Registers SAEs: stores the row and creates that SAE's partial HNSW index over its decoder vectors, in
 * the same transaction, so an SAE never exists without its index.
 */
@Service
public class SaeRegistrar {

	// HNSW build parameters (in create_sae_decoder_index, migration V20): pgvector's defaults (m 16, ef_construction
	// 64) gave recall@10 = 0.936 on 10k random unit vectors of 128 dimensions (the hardest case: no cluster
	// structure); m 24, ef_construction 128 reach the 0.95 we require.

	private final CatalogSaeRepository saes;

	private final JdbcTemplate jdbc;

	public SaeRegistrar(CatalogSaeRepository saes, JdbcTemplate jdbc) {
		this.saes = saes;
		this.jdbc = jdbc;
	}

	/** Saves a new SAE and creates its decoder index. */
	@Transactional
	public CatalogSae register(CatalogSae sae) {
		return register(sae, saved -> {
		});
	}

	/**
	 * Saves a new SAE, loads its decoder vectors, and only then builds its index: one bulk HNSW build instead of
	 * an index insert per row. All in the caller's transaction, so nobody sees the SAE before its index exists.
	 * @param loadDecoders writes the SAE's feature and decoder rows
	 */
	@Transactional
	public CatalogSae register(CatalogSae sae, java.util.function.Consumer<CatalogSae> loadDecoders) {
		CatalogSae saved = this.saes.saveAndFlush(sae);
		loadDecoders.accept(saved);
		createDecoderIndex(saved);
		return saved;
	}

	/**
	 * Creates (if missing) the partial HNSW index of one SAE's decoder vectors, through the database function
	 * {@code create_sae_decoder_index} (migration V20): the app's role owns no table, so the owner's function builds
	 * the index from the SAE's row (expression and operator class as {@link VectorIndexKind}; m = 24,
	 * ef_construction = 128; maintenance_work_mem sized to the graph for this transaction, since an HNSW build
	 * whose graph fits in memory is many times faster than one that spills).
	 */
	void createDecoderIndex(CatalogSae sae) {
		this.jdbc.queryForObject("SELECT create_sae_decoder_index(?)::text", String.class, sae.getId());
	}
}
