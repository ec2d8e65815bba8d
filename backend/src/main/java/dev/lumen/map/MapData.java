package dev.lumen.map;

import java.util.List;

/**
 * An SAE's whole map in memory: one entry per feature (parallel arrays, ordered by feature index) with the
 * statistics the map can colour by that are fixed for an extraction.
 * @param x {@code [n]} in [0, 1000]
 * @param y {@code [n]} in [0, 1000]
 * @param density {@code [n]} NaN when not measured
 * @param maxActivation {@code [n]} NaN when not measured
 */
public record MapData(long saeId, String method, long seed, int laidOut, int[] featureIndex, float[] x, float[] y,
		int[] cluster, float[] density, float[] maxActivation, List<Cluster> clusters, float maxScale) {

	/** @param maxScale the 99th percentile of the max activations: the top of the colour ramp */
	public MapData(long saeId, String method, long seed, int laidOut, int[] featureIndex, float[] x, float[] y,
			int[] cluster, float[] density, float[] maxActivation, List<Cluster> clusters) {
		this(saeId, method, seed, laidOut, featureIndex, x, y, cluster, density, maxActivation, clusters,
				percentile99(maxActivation));
	}

	static float percentile99(float[] values) {
		float[] finite = new float[values.length];
		int n = 0;
		for (float v : values) {
			if (Float.isFinite(v)) {
				finite[n++] = v;
			}
		}
		if (n == 0) {
			return 1;
		}
		java.util.Arrays.sort(finite, 0, n);
		return Math.max(finite[Math.min(n - 1, (int) (0.99 * n))], 1e-6f);
	}

	/** A cluster: its centre on the map and how many features it has. */
	public record Cluster(int id, int size, float x, float y) {
	}

	public int size() {
		return this.featureIndex.length;
	}

	/** @return the row of a feature, or -1 when it is not on the map */
	public int row(int index) {
		int row = java.util.Arrays.binarySearch(this.featureIndex, index);
		return row >= 0 ? row : -1;
	}
}
