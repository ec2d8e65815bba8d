package dev.lumen.catalog;

/**
 * How an SAE's decoder vectors are indexed. All SAEs share one untyped {@code vector} column; each gets a
 * partial HNSW index over an expression that gives the column a fixed dimension, picked by pgvector's limits:
 * {@code vector} HNSW indexes up to 2000 dimensions, {@code halfvec} up to 4000, and above that the index is
 * over the binary quantisation ({@code bit}, Hamming distance) and results are re-ranked by exact cosine.
 */
public enum VectorIndexKind {

	/** d ≤ 2000: cosine HNSW over {@code decoder::vector(d)}. */
	VECTOR,
	/** 2000 < d ≤ 4000: cosine HNSW over {@code decoder::halfvec(d)}. */
	HALFVEC,
	/** d > 4000: Hamming HNSW over {@code binary_quantize(decoder)::bit(d)}, exact cosine re-ranking. */
	BIT;

	static final int MAX_VECTOR_DIMS = 2000;

	static final int MAX_HALFVEC_DIMS = 4000;

	/** @return the index kind for decoder vectors of {@code d} dimensions */
	public static VectorIndexKind forDimension(int d) {
		if (d <= 0) {
			throw new IllegalArgumentException("decoder dimension must be positive, got " + d);
		}
		return d <= MAX_VECTOR_DIMS ? VECTOR : d <= MAX_HALFVEC_DIMS ? HALFVEC : BIT;
	}

	/** @return the indexed expression over column {@code decoder}; the ORDER BY of a query must repeat it exactly */
	public String indexedExpression(int d) {
		return switch (this) {
			case VECTOR -> "(decoder::vector(" + d + "))";
			case HALFVEC -> "(decoder::halfvec(" + d + "))";
			case BIT -> "(binary_quantize(decoder)::bit(" + d + "))";
		};
	}

	/** @return the same expression applied to a query vector given as a SQL operand (e.g. a bind parameter) */
	public String queryExpression(String operand, int d) {
		return switch (this) {
			case VECTOR -> "(" + operand + ")::vector(" + d + ")";
			case HALFVEC -> "(" + operand + ")::halfvec(" + d + ")";
			case BIT -> "binary_quantize((" + operand + ")::vector(" + d + "))::bit(" + d + ")";
		};
	}

	/** @return the HNSW operator class */
	public String operatorClass() {
		return switch (this) {
			case VECTOR -> "vector_cosine_ops";
			case HALFVEC -> "halfvec_cosine_ops";
			case BIT -> "bit_hamming_ops";
		};
	}

	/** @return the distance operator the operator class indexes */
	public String distanceOperator() {
		return this == BIT ? "<~>" : "<=>";
	}

	/** @return the name of the partial index of one SAE */
	public static String indexName(long saeId) {
		return "feature_decoder_sae_" + saeId;
	}
}
