package dev.lumen.stats;

/**
 * An upper estimate, made before a run, of the heap a {@link FeatureStatistics} can grow to when every feature
 * fires often enough to fill what it keeps. Each kept example holds only the positions where its feature is
 * non-zero; the estimate assumes {@link #POSITIONS_PER_EXAMPLE} of them.
 * @param perFeatureBytes bytes one fully used feature takes
 * @param totalBytes bytes for all features
 */
public record MemoryEstimate(long perFeatureBytes, long totalBytes) {

	/** Non-zero positions assumed per kept example (a feature fires on a few tokens of a window). */
	public static final int POSITIONS_PER_EXAMPLE = 8;

	/** Activation bands a feature's window maxima typically span at 2 bands per octave (3 octaves). */
	static final int BANDS_PER_FEATURE = 6;

	/** Histogram bins a feature typically spans (8 octaves at 4 bins per octave). */
	static final int HISTOGRAM_BINS = 32;

	public static MemoryEstimate of(StatsSettings s, int dSae) {
		long example = 64 + 6L * POSITIONS_PER_EXAMPLE + 8; // object, arrays, heap slot
		long top = 48 + s.topK() * example;
		long bands = BANDS_PER_FEATURE * (48 + (long) s.perInterval() * example);
		long histogram = 16 + 8L * HISTOGRAM_BINS;
		long coOccurrence = dSae <= CoOccurrenceCounts.DENSE_MAX ? 4L * dSae // capped: the folded table + the segment's
				: 2 * (48 + 2L * 8 * Integer.highestOneBit(Math.max(1, 2 * s.partnerCap() - 1)));
		long fixed = 48; // moments, references, window scratch slot
		long perFeature = fixed + top + bands + histogram + coOccurrence;
		long zeros = (long) s.zeroCandidates() * s.maxPositions() * 200 * 8; // candidate windows at up to 200 active
		return new MemoryEstimate(perFeature, perFeature * dSae + zeros);
	}

	/**
	 * @param budgetBytes what the state may take
	 * @throws IllegalStateException naming what to change when the estimate exceeds the budget
	 */
	public void requireWithin(long budgetBytes, int dSae, StatsSettings s) {
		if (this.totalBytes > budgetBytes) {
			throw new IllegalStateException(String.format("the statistics of %,d features need up to %,d MiB of heap "
					+ "(%,d bytes per feature: top-%d examples, %d interval samples per band, histogram, up to %d "
					+ "co-occurrence partners), more than the %,d MiB allowed; give the JVM more heap (LUMEN_JAVA_OPTS=-Xmx…) "
					+ "or --memory, or keep less per feature (--top-k)", dSae, this.totalBytes >> 20, this.perFeatureBytes,
					s.topK(), s.perInterval(), s.partnerCap(), budgetBytes >> 20));
		}
	}
}
