package dev.lumen.stats;

/**
 * The sparse SAE activations of one context window: for each position the features that are non-zero and their
 * values, in compressed-row form. Nothing of size d_sae per token exists.
 * @param window corpus-wide window id (stable across runs; ties between equal activations go to the smaller id)
 * @param length real tokens of the window, BOS included at position 0; padding is not part of it
 * @param offsets [length + 1]: position t's entries are {@code [offsets[t], offsets[t + 1])}
 * @param features feature index of each entry, [entries]
 * @param values activation of each entry, positive, [entries]
 */
public record WindowActivations(int window, int length, int[] offsets, int[] features, float[] values) {

	public WindowActivations {
		if (length < 1 || offsets.length != length + 1 || offsets[0] != 0) {
			throw new IllegalArgumentException("window " + window + ": offsets must have length + 1 = " + (length + 1)
					+ " entries starting at 0, got " + offsets.length);
		}
		if (features.length != values.length || offsets[length] != features.length) {
			throw new IllegalArgumentException("window " + window + ": " + features.length + " features, " + values.length
					+ " values, offsets end at " + offsets[length]);
		}
	}

	/** @return number of non-zero entries */
	public int entries() {
		return this.features.length;
	}

	/**
	 * Builds a window from dense per-position activations (tests and small inputs).
	 * @param dense [length][dSae]
	 */
	public static WindowActivations fromDense(int window, float[][] dense) {
		int n = 0;
		for (float[] row : dense) {
			for (float v : row) {
				n += v > 0f ? 1 : 0;
			}
		}
		int[] offsets = new int[dense.length + 1];
		int[] features = new int[n];
		float[] values = new float[n];
		int k = 0;
		for (int t = 0; t < dense.length; t++) {
			for (int f = 0; f < dense[t].length; f++) {
				if (dense[t][f] > 0f) {
					features[k] = f;
					values[k++] = dense[t][f];
				}
			}
			offsets[t + 1] = k;
		}
		return new WindowActivations(window, dense.length, offsets, features, values);
	}
}
