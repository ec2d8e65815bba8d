package dev.lumen.stats;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * Every per-feature statistic of an extraction as a <em>mergeable partial</em>: {@link #add} takes one window's
 * sparse activations in O(active entries), {@link #merge} combines two partials over disjoint windows into the
 * partial over their union, and {@link #write}/{@link #read} carry it to a checkpoint or another worker.
 *
 * <ul>
 * <li>density, max, mean, smallest positive value: exact ({@link Moments});</li>
 * <li>top-K windows by the feature's max: exact under the order (max desc, window asc);</li>
 * <li>activation histogram: exact counts on a fixed logarithmic grid ({@link LogHistogram});</li>
 * <li>interval examples: bottom-k samples per activation band ({@link BandSamples});</li>
 * <li>zero examples: from a shared bottom-k sample of windows ({@link ZeroWindows});</li>
 * <li>co-occurrence: exact sparse counts up to a per-feature partner cap ({@link CoOccurrenceCounts}).</li>
 * </ul>
 * Exact parts and bottom-k samples merge to exactly what one run over all windows gives, in any split and order;
 * co-occurrence counts beyond the cap are a Misra-Gries summary, flagged, and the same for every run that adds or
 * merges whole 64-window segments in window order ({@link SegmentedCoOccurrence}).
 *
 * <p>Position 0 (BOS) is excluded from every statistic unless {@link StatsSettings#includeBos()}; the per-token
 * arrays of kept examples always hold the SAE's real value there. Not thread-safe; use one per worker and merge.
 */
public final class FeatureStatistics implements FeatureResults {

	private static final long FORMAT = 0x4C554D5354415433L; // "LUMSTAT3": co-occurrence in segments

	private final StatsSettings settings;

	private final int dSae;

	private final Moments moments;

	private final BoundedExamples[] top; // [dSae], null until active

	private final LogHistogram histogram;

	private final BandSamples bands;

	private final ZeroWindows zeros;

	private final SegmentedCoOccurrence coOccurrence;

	private final WindowScratch scratch;

	public FeatureStatistics(StatsSettings settings, int dSae) {
		this(settings, dSae, true);
	}

	/** @param denseCoOccurrence count co-occurrence in a d_sae² table when d_sae is small enough (tests turn it off) */
	FeatureStatistics(StatsSettings settings, int dSae, boolean denseCoOccurrence) {
		this.settings = settings;
		this.dSae = dSae;
		this.moments = new Moments(dSae);
		this.top = new BoundedExamples[dSae];
		this.histogram = new LogHistogram(dSae, settings.histogramBinsPerOctave());
		this.bands = new BandSamples(dSae, settings.bandsPerOctave(), settings.perInterval());
		this.zeros = new ZeroWindows(settings.seed(), settings.zeroCandidates());
		this.coOccurrence = new SegmentedCoOccurrence(dSae, settings.partnerCap(), denseCoOccurrence);
		this.scratch = new WindowScratch(dSae);
	}

	/** Adds one window. Windows must be distinct across everything later merged. */
	public void add(WindowActivations w) {
		check(w);
		int first = this.settings.firstCountedPosition();
		this.coOccurrence.startWindow(w.window());
		for (int t = first; t < w.length(); t++) {
			int from = w.offsets()[t];
			int to = w.offsets()[t + 1];
			for (int k = from; k < to; k++) {
				this.moments.add(w.features()[k], w.values()[k]);
				this.histogram.add(w.features()[k], w.values()[k]);
			}
			this.coOccurrence.addToken(w.features(), from, to);
		}
		this.moments.tokens += Math.max(0, w.length() - first);
		WindowScratch.Grouped g = this.scratch.group(w, first);
		for (int i = 0; i < g.count(); i++) {
			float max = g.max()[i];
			if (max > 0f) {
				offerExamples(g.feature()[i], w.window(), max, g, i);
			}
		}
		if (this.zeros.wouldKeep(w.window())) {
			int[] counted = g.countedFeatures();
			this.zeros.offer(new ZeroWindows.Candidate(this.zeros.key(w.window()), w, counted));
		}
	}

	private void offerExamples(int f, int window, float max, WindowScratch.Grouped g, int i) {
		BoundedExamples topF = this.top[f];
		if (topF == null) {
			topF = this.top[f] = new BoundedExamples(ExampleOrder.BY_ACTIVATION, this.settings.topK());
		}
		double key = StateIO.sampleKey(this.settings.seed(), f, window);
		BoundedExamples band = this.bands.band(f, max);
		boolean toTop = topF.wouldKeep(max, 0, window);
		boolean toBand = band.wouldKeep(max, key, window);
		if (toTop) {
			topF.offer(g.example(i, window, 0));
		}
		if (toBand) {
			band.offer(g.example(i, window, key));
		}
	}

	/**
	 * Adds everything {@code other} holds; both must cover disjoint windows and have equal settings and width. Capped
	 * co-occurrence tables past their cap give the canonical counts when {@code other} holds the segments that follow
	 * this partial's (see {@link SegmentedCoOccurrence}); everything else merges exactly in any order.
	 */
	public void merge(FeatureStatistics other) {
		if (!other.settings.equals(this.settings) || other.dSae != this.dSae) {
			throw new IllegalArgumentException("cannot merge statistics of d_sae " + other.dSae + " with " + other.settings
					+ " into d_sae " + this.dSae + " with " + this.settings);
		}
		this.moments.merge(other.moments);
		for (int f = 0; f < this.dSae; f++) {
			if (other.top[f] != null) {
				if (this.top[f] == null) {
					this.top[f] = new BoundedExamples(ExampleOrder.BY_ACTIVATION, this.settings.topK());
				}
				this.top[f].merge(other.top[f]);
			}
		}
		this.histogram.merge(other.histogram);
		this.bands.merge(other.bands);
		this.zeros.merge(other.zeros);
		this.coOccurrence.merge(other.coOccurrence);
	}

	private void check(WindowActivations w) {
		if (w.length() > this.settings.maxPositions()) {
			throw new IllegalArgumentException("window " + w.window() + " has " + w.length() + " positions, settings allow "
					+ this.settings.maxPositions());
		}
		for (int i = 0; i < w.entries(); i++) {
			int f = w.features()[i];
			if (f < 0 || f >= this.dSae || !(w.values()[i] > 0f) || !Float.isFinite(w.values()[i])) {
				throw new IllegalArgumentException("window " + w.window() + " entry " + i + ": feature " + f + " = "
						+ w.values()[i] + "; expected a feature in [0, " + this.dSae + ") with a finite positive value");
			}
		}
	}

	// ---- results

	public StatsSettings settings() {
		return this.settings;
	}

	public int dSae() {
		return this.dSae;
	}

	@Override
	public int firstFeature() {
		return 0;
	}

	@Override
	public int endFeature() {
		return this.dSae;
	}

	/** @return counted positions over all windows (BOS excluded unless included by the settings) */
	@Override
	public long tokens() {
		return this.moments.tokens;
	}

	/** @return counted positions where feature f is non-zero */
	@Override
	public long activeTokens(int f) {
		return this.moments.active[f];
	}

	/** @return active tokens / counted tokens */
	@Override
	public double density(int f) {
		return this.moments.tokens == 0 ? 0 : this.moments.active[f] / (double) this.moments.tokens;
	}

	/** @return the largest counted activation, 0 when never active */
	@Override
	public float maxActivation(int f) {
		return this.moments.max[f];
	}

	/** @return the mean over active tokens, NaN when never active */
	@Override
	public double meanActivation(int f) {
		long n = this.moments.active[f];
		return n == 0 ? Double.NaN : this.moments.sum[f] / n;
	}

	/** @return the top windows by the feature's max, best first */
	@Override
	public Example[] topExamples(int f) {
		return this.top[f] == null ? new Example[0] : this.top[f].sorted();
	}

	/** @return per interval of (0, max], up to perInterval sampled windows, strongest first */
	@Override
	public Example[][] intervalExamples(int f) {
		return this.bands.intervals(f, this.moments.max[f], this.settings.intervals(), this.settings.perInterval());
	}

	/** @return up to zeroSamples windows where the feature is zero on every counted position */
	@Override
	public Example[] zeroExamples(int f) {
		return this.zeros.samples(f, this.settings.zeroSamples());
	}

	/** @return the activation histogram, or null when the feature never fired */
	@Override
	public Histogram histogram(int f) {
		return this.histogram.of(f);
	}

	/** @return the n features with the highest Jaccard index of active-token sets */
	public CoOccurring coOccurring(int f, int n) {
		return this.coOccurrence.top(f, this.moments.active, n);
	}

	@Override
	public CoOccurring coOccurring(int f, int n, long[] activeTokensOfAll) {
		return coOccurring(f, n);
	}

	/**
	 * Windows per segment of capped co-occurrence counting: a distributed run's shards must be whole segments, and
	 * their partials merge in segment order (see {@code SegmentedCoOccurrence}).
	 */
	public static final int CO_OCCURRENCE_SEGMENT_WINDOWS = SegmentedCoOccurrence.SEGMENT_WINDOWS;

	/** @return true when an SAE this wide counts co-occurrence exactly, with no partner cap (see FeatureBlock) */
	public static boolean countsCoOccurrenceExactly(int dSae) {
		return dSae <= CoOccurrenceCounts.denseMax();
	}

	/**
	 * Cuts this partial into blocks of consecutive features (the last one may be shorter) that merge block by block
	 * and together hold what this partial holds; see {@link FeatureBlock}.
	 */
	public java.util.List<FeatureBlock> blocks(int featuresPerBlock) {
		if (featuresPerBlock < 1) {
			throw new IllegalArgumentException("features per block must be positive, got " + featuresPerBlock);
		}
		java.util.List<FeatureBlock> out = new java.util.ArrayList<>();
		for (int from = 0; from < this.dSae; from += featuresPerBlock) {
			int to = Math.min(this.dSae, from + featuresPerBlock);
			FeatureBlock b = new FeatureBlock(this.settings, this.dSae, from, to, this.coOccurrence.dense());
			b.copyFrom(this.moments, this.top, this.histogram, this.bands, this.zeros, this.coOccurrence);
			out.add(b);
		}
		return out;
	}

	/** @return approximate heap bytes held now (for progress lines and the memory check) */
	public long heapBytes() {
		long b = 40L * this.dSae + this.zeros.bytes();
		for (int f = 0; f < this.dSae; f++) {
			b += (this.top[f] == null ? 0 : this.top[f].bytes()) + this.histogram.bytes(f) + this.bands.bytes(f)
					+ this.coOccurrence.bytes(f);
		}
		return b;
	}

	// ---- state

	public void write(DataOutput out) throws IOException {
		out.writeLong(FORMAT);
		out.writeLong(this.dSae);
		out.writeLong(this.settings.hashCode());
		this.moments.write(out);
		for (BoundedExamples t : this.top) {
			out.writeBoolean(t != null);
			if (t != null) {
				t.write(out);
			}
		}
		this.histogram.write(out);
		this.bands.write(out);
		this.zeros.write(out);
		this.coOccurrence.write(out);
	}

	/** Replaces this partial's state by what {@link #write} wrote with the same settings and width. */
	public void read(DataInput in) throws IOException {
		StateIO.expect(in, "format", FORMAT);
		StateIO.expect(in, "d_sae", this.dSae);
		StateIO.expect(in, "settings hash", this.settings.hashCode());
		this.moments.read(in);
		for (int f = 0; f < this.dSae; f++) {
			this.top[f] = in.readBoolean() ? BoundedExamples.read(in, ExampleOrder.BY_ACTIVATION, this.settings.topK())
					: null;
		}
		this.histogram.read(in);
		this.bands.read(in);
		this.zeros.read(in);
		this.coOccurrence.read(in);
	}

	@Override
	public String toString() {
		return "FeatureStatistics[d_sae=" + this.dSae + ", tokens=" + this.moments.tokens + ", active features="
				+ Arrays.stream(this.top).filter(t -> t != null).count() + "]";
	}
}
