package dev.lumen.feature;

/**
 * A histogram over bins (table {@code feature_histogram}).
 * @param binEdges bin edges, shape [n + 1], increasing
 * @param counts counts per bin, shape [n]
 */
public record Histogram(float[] binEdges, long[] counts) {

	public Histogram {
		if (binEdges.length != counts.length + 1) {
			throw new IllegalArgumentException("a histogram needs n + 1 bin edges for n counts, got " + binEdges.length
					+ " edges and " + counts.length + " counts");
		}
	}

	/** @return the sum of all counts */
	public long total() {
		long total = 0;
		for (long c : this.counts) {
			total += c;
		}
		return total;
	}
}
