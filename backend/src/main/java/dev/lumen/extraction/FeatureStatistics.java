package dev.lumen.extraction;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Streaming per-feature statistics over a corpus, in two passes over the same windows. Memory is bounded by the
 * number of features times the examples kept, never by the corpus size.
 *
 * <ul>
 * <li>Pass 1: active-token counts (density), sums (mean of positive activations), max, smallest positive value,
 * the top-K windows by the feature's max activation (with per-token activations), and co-occurrence counts.</li>
 * <li>Pass 2, which needs pass 1's max: the activation histogram (log-spaced bins between the smallest positive
 * value and the max), a uniform sample of windows for each of the intervals that split (0, max] into equal
 * parts, and a sample of windows where the feature is zero everywhere.</li>
 * </ul>
 *
 * Samples are bottom-k samples: each (feature, window) pair gets a pseudo-random key from a hash of the seed,
 * feature and window, and the items with the smallest keys are kept. That is a uniform sample without
 * replacement, and it does not depend on arrival order, so a resumed run equals an uninterrupted one.
 * Position 0 (BOS) of every window is ignored: its activations say nothing about the text.
 */
final class FeatureStatistics {

	private final ExtractionSettings settings;

	private final int dSae;

	private final int positions;

	// ---- pass 1
	long tokens; // counted tokens (not BOS, not padding)

	final long[] activeTokens; // [dSae]

	final double[] activationSum; // [dSae]

	final float[] maxActivation; // [dSae]

	final float[] minPositive; // [dSae]

	final BestPerGroup top; // dSae groups × topK, with per-token activations

	final CoOccurrence coOccurrence; // null when dSae is too large

	// ---- pass 2
	final long[] histogram; // [dSae * bins]

	final BestPerGroup intervals; // dSae × intervals groups × perInterval, with per-token activations

	final BestPerGroup zeros; // dSae groups × zeroSamples, no activations (all zero)

	// per-window scratch, reused across windows
	private final float[] windowMax;

	private final int[] windowArgmax;

	FeatureStatistics(ExtractionSettings settings, int dSae) {
		this.settings = settings;
		this.dSae = dSae;
		this.positions = settings.contextSize();
		this.activeTokens = new long[dSae];
		this.activationSum = new double[dSae];
		this.maxActivation = new float[dSae];
		this.minPositive = new float[dSae];
		java.util.Arrays.fill(this.minPositive, Float.POSITIVE_INFINITY);
		this.top = new BestPerGroup(dSae, settings.topK(), this.positions);
		this.coOccurrence = CoOccurrence.fits(dSae) ? new CoOccurrence(dSae) : null;
		this.histogram = new long[Math.multiplyExact(dSae, settings.histogramBins())];
		this.intervals = new BestPerGroup(Math.multiplyExact(dSae, settings.intervals()), settings.perInterval(),
				this.positions);
		this.zeros = new BestPerGroup(dSae, settings.zeroSamples(), 0);
		this.windowMax = new float[dSae];
		this.windowArgmax = new int[dSae];
	}

	int dSae() {
		return this.dSae;
	}

	ExtractionSettings settings() {
		return this.settings;
	}

	/** Pass 1 over one batch. */
	void accumulateFirstPass(ActivationBatch batch) {
		checkShape(batch);
		float[] a = batch.activations();
		int[] active = new int[this.dSae];
		for (int b = 0; b < batch.batch(); b++) {
			int rowBase = b * this.positions * this.dSae;
			java.util.Arrays.fill(this.windowMax, 0f);
			for (int t = 1; t < batch.lengths()[b]; t++) {
				int base = rowBase + t * this.dSae;
				int nActive = 0;
				for (int f = 0; f < this.dSae; f++) {
					float v = a[base + f];
					if (v > 0f) {
						active[nActive++] = f;
						this.activeTokens[f]++;
						this.activationSum[f] += v;
						if (v > this.maxActivation[f]) {
							this.maxActivation[f] = v;
						}
						if (v < this.minPositive[f]) {
							this.minPositive[f] = v;
						}
						if (v > this.windowMax[f]) {
							this.windowMax[f] = v;
							this.windowArgmax[f] = t;
						}
					}
				}
				if (this.coOccurrence != null) {
					this.coOccurrence.add(active, nActive);
				}
				this.tokens++;
			}
			int window = batch.windowIds()[b];
			for (int f = 0; f < this.dSae; f++) {
				float m = this.windowMax[f];
				if (m > 0f && this.top.wouldKeep(f, m, window)) {
					this.top.offer(f, m, window, this.windowArgmax[f], m, a, rowBase + f, this.dSae, batch.lengths()[b]);
				}
			}
		}
	}

	/** Pass 2 over one batch; needs the finished pass 1 (max and smallest positive values). */
	void accumulateSecondPass(ActivationBatch batch) {
		checkShape(batch);
		float[] a = batch.activations();
		int bins = this.settings.histogramBins();
		int nIntervals = this.settings.intervals();
		for (int b = 0; b < batch.batch(); b++) {
			int rowBase = b * this.positions * this.dSae;
			java.util.Arrays.fill(this.windowMax, 0f);
			for (int t = 1; t < batch.lengths()[b]; t++) {
				int base = rowBase + t * this.dSae;
				for (int f = 0; f < this.dSae; f++) {
					float v = a[base + f];
					if (v > 0f) {
						this.histogram[f * bins + histogramBin(f, v)]++;
						if (v > this.windowMax[f]) {
							this.windowMax[f] = v;
							this.windowArgmax[f] = t;
						}
					}
				}
			}
			int window = batch.windowIds()[b];
			for (int f = 0; f < this.dSae; f++) {
				float m = this.windowMax[f];
				double key = sampleKey(f, window);
				if (m > 0f) {
					int interval = intervalOf(m, this.maxActivation[f], nIntervals);
					int group = f * nIntervals + interval;
					if (this.intervals.wouldKeep(group, -key, window)) {
						this.intervals.offer(group, -key, window, this.windowArgmax[f], m, a, rowBase + f, this.dSae,
								batch.lengths()[b]);
					}
				}
				else if (this.zeros.wouldKeep(f, -key, window)) {
					this.zeros.offer(f, -key, window, 0, 0f, null, 0, 0, 0);
				}
			}
		}
	}

	/** @return the interval of (0, max] split into {@code n} equal parts that holds {@code value} */
	static int intervalOf(float value, float max, int n) {
		int i = (int) Math.ceil(value / max * n) - 1;
		return Math.max(0, Math.min(n - 1, i));
	}

	/** @return the histogram bin of a positive value of feature {@code f}: log-spaced between min positive and max */
	int histogramBin(int f, float value) {
		int bins = this.settings.histogramBins();
		double lo = Math.log(this.minPositive[f]);
		double hi = Math.log(this.maxActivation[f]);
		if (!(hi > lo)) {
			return 0;
		}
		int bin = (int) ((Math.log(value) - lo) / (hi - lo) * bins);
		return Math.max(0, Math.min(bins - 1, bin));
	}

	/** @return the bin edges of feature f's histogram, bins + 1 values, or null when it never fired */
	float[] histogramEdges(int f) {
		if (this.activeTokens[f] == 0) {
			return null;
		}
		int bins = this.settings.histogramBins();
		float[] edges = new float[bins + 1];
		double lo = Math.log(this.minPositive[f]);
		double hi = Math.log(this.maxActivation[f]);
		for (int i = 0; i <= bins; i++) {
			edges[i] = (float) Math.exp(lo + (hi - lo) * i / bins);
		}
		edges[0] = this.minPositive[f];
		edges[bins] = this.maxActivation[f];
		return edges;
	}

	/** Uniform in [0, 1) from the seed, feature and window (SplitMix64 finaliser). */
	double sampleKey(int feature, int window) {
		long z = this.settings.seed() ^ ((long) feature << 32 | (window & 0xffffffffL));
		z += 0x9E3779B97F4A7C15L;
		z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
		z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
		z = z ^ (z >>> 31);
		return (z >>> 11) * 0x1.0p-53;
	}

	private void checkShape(ActivationBatch batch) {
		if (batch.dSae() != this.dSae || batch.positions() != this.positions) {
			throw new IllegalArgumentException("batch is [" + batch.positions() + " positions, " + batch.dSae()
					+ " features], statistics expect [" + this.positions + ", " + this.dSae + "]");
		}
	}

	void write(DataOutputStream out) throws IOException {
		out.writeInt(this.dSae);
		out.writeInt(this.positions);
		out.writeLong(this.tokens);
		Checkpoints.writeLongs(out, this.activeTokens);
		Checkpoints.writeDoubles(out, this.activationSum);
		Checkpoints.writeFloats(out, this.maxActivation);
		Checkpoints.writeFloats(out, this.minPositive);
		this.top.write(out);
		out.writeBoolean(this.coOccurrence != null);
		if (this.coOccurrence != null) {
			this.coOccurrence.write(out);
		}
		Checkpoints.writeLongs(out, this.histogram);
		this.intervals.write(out);
		this.zeros.write(out);
	}

	void read(DataInputStream in) throws IOException {
		Checkpoints.expect(in, "d_sae", this.dSae);
		Checkpoints.expect(in, "context size", this.positions);
		this.tokens = in.readLong();
		Checkpoints.readLongs(in, this.activeTokens);
		Checkpoints.readDoubles(in, this.activationSum);
		Checkpoints.readFloats(in, this.maxActivation);
		Checkpoints.readFloats(in, this.minPositive);
		this.top.read(in);
		boolean hasCo = in.readBoolean();
		if (hasCo != (this.coOccurrence != null)) {
			throw new IOException("checkpoint co-occurrence presence differs from this run");
		}
		if (this.coOccurrence != null) {
			this.coOccurrence.read(in);
		}
		Checkpoints.readLongs(in, this.histogram);
		this.intervals.read(in);
		this.zeros.read(in);
	}
}
