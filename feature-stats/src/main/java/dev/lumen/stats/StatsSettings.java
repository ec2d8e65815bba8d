package dev.lumen.stats;

/**
 * What the statistics keep per feature. Two partial results merge only when their settings are equal.
 * @param maxPositions longest window, in tokens (BOS included)
 * @param topK top-activating windows kept per feature
 * @param intervals equal parts of (0, max] that interval examples are drawn from
 * @param perInterval windows sampled per interval
 * @param zeroSamples windows shown per feature where it is zero on every counted position
 * @param zeroCandidates windows (the same for every feature) that zero samples are chosen from
 * @param histogramBinsPerOctave resolution of the fixed logarithmic histogram grid
 * @param bandsPerOctave resolution of the activation bands that interval samples are kept in
 * @param partnerCap co-occurring features counted exactly per feature; beyond it counts become a Misra-Gries
 *        summary (the feature is flagged as approximate)
 * @param seed seed of the sampling keys
 * @param includeBos count position 0 (BOS) like any other position; by default it is excluded from every
 *        statistic (it is an attention sink, not text), while stored per-token arrays always hold its real value
 */
public record StatsSettings(int maxPositions, int topK, int intervals, int perInterval, int zeroSamples,
		int zeroCandidates, int histogramBinsPerOctave, int bandsPerOctave, int partnerCap, long seed,
		boolean includeBos) {

	public StatsSettings {
		if (maxPositions < 2 || maxPositions > Short.MAX_VALUE) {
			throw new IllegalArgumentException("window length must be in [2, " + Short.MAX_VALUE + "], got " + maxPositions);
		}
		positive("top-k", topK);
		positive("intervals", intervals);
		positive("per-interval samples", perInterval);
		positive("zero samples", zeroSamples);
		positive("histogram bins per octave", histogramBinsPerOctave);
		positive("bands per octave", bandsPerOctave);
		positive("co-occurrence partner cap", partnerCap);
		if (zeroCandidates < zeroSamples) {
			throw new IllegalArgumentException("zero candidates (" + zeroCandidates + ") must be at least zero samples ("
					+ zeroSamples + ")");
		}
	}

	/** Defaults: top 32, 10 intervals × 8 samples, 16 zero samples from 64 candidate windows, BOS excluded. */
	public static StatsSettings defaults(int maxPositions) {
		return new StatsSettings(maxPositions, 32, 10, 8, 16, 64, 4, 2, 256, 20240521L, false);
	}

	/** @return the first position that statistics count: 0 with {@link #includeBos}, else 1 */
	public int firstCountedPosition() {
		return this.includeBos ? 0 : 1;
	}

	private static void positive(String what, long v) {
		if (v <= 0) {
			throw new IllegalArgumentException(what + " must be positive, got " + v);
		}
	}
}
