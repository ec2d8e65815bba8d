package dev.lumen.engine.sae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.Arrays;

/**
 * The non-zero feature activations of a set of tokens, on the host, in compressed-row form. Built by
 * {@link #encode}: the SAE encodes on its own device and only the active entries are copied to the host, so an
 * array of d_sae values per token never reaches Java.
 * @param tokens number of rows (tokens)
 * @param offsets [tokens + 1]: token i's entries are {@code [offsets[i], offsets[i + 1])}
 * @param features feature index of each entry, ascending within a token, [entries]
 * @param values activation of each entry, positive, [entries]
 */
public record SparseFeatures(int tokens, int[] offsets, int[] features, float[] values) {

	/**
	 * Encodes and keeps the non-zero activations. On the SAE's device: the encode, a count of positive values per
	 * token, and a top-k with k = the largest count in the batch (so every non-zero entry is kept: exact); then
	 * [tokens, k] values and indices are copied to the host, never [tokens, d_sae].
	 * @param x activations, shape [..., dIn]; the result's row order is x's flattened leading dimensions
	 */
	public static SparseFeatures encode(Sae sae, NDArray x) {
		int dSae = sae.config().dSae();
		try (NDManager scope = x.getManager().newSubManager()) {
			NDArray f = sae.encode(x);
			f.attach(scope);
			NDArray rows = f.reshape(-1, dSae); // [tokens, dSae], on the SAE's device
			int tokens = (int) rows.getShape().get(0);
			long[] counts = rows.gt(0f).toType(DataType.INT64, false).sum(new int[] { 1 }).toLongArray(); // [tokens]
			int k = (int) Arrays.stream(counts).max().orElse(0);
			int[] offsets = new int[tokens + 1];
			for (int t = 0; t < tokens; t++) {
				offsets[t + 1] = offsets[t] + (int) counts[t];
			}
			int[] features = new int[offsets[tokens]];
			float[] values = new float[offsets[tokens]];
			if (k > 0) {
				NDList top = rows.topK(k, 1, true, true); // values, indices: [tokens, k], largest first
				float[] topValues = top.get(0).toType(DataType.FLOAT32, false).toFloatArray();
				int[] topIndices = top.get(1).toType(DataType.INT32, false).toIntArray();
				for (int t = 0; t < tokens; t++) {
					copySortedByFeature(topIndices, topValues, t * k, (int) counts[t], features, values, offsets[t]);
				}
			}
			return new SparseFeatures(tokens, offsets, features, values);
		}
	}

	/** Copies a token's n positive entries, ordered by feature index so results do not depend on top-k's tie order. */
	private static void copySortedByFeature(int[] idx, float[] val, int from, int n, int[] features, float[] values,
			int to) {
		long[] packed = new long[n];
		for (int i = 0; i < n; i++) {
			packed[i] = (long) idx[from + i] << 32 | (Float.floatToRawIntBits(val[from + i]) & 0xffffffffL);
		}
		Arrays.sort(packed);
		for (int i = 0; i < n; i++) {
			features[to + i] = (int) (packed[i] >>> 32);
			values[to + i] = Float.intBitsToFloat((int) packed[i]);
		}
	}

	/** @return number of non-zero entries */
	public int entries() {
		return this.features.length;
	}
}
