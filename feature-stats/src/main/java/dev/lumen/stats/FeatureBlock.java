package dev.lumen.stats;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * The statistics of the features {@code [from, to)} of a {@link FeatureStatistics} partial, so that a distributed
 * job can merge partials block by block and never hold every feature's statistics in one place. Every statistic
 * but two is per feature and moves to its block unchanged; the two shared ones are cut as well:
 * <ul>
 * <li>the zero-window sample (the same candidate windows for every feature) keeps, per candidate, only the
 * activations of the block's features, which is all a block's zero examples read;</li>
 * <li>co-occurrence keeps the rows of the block's features (partners anywhere in the SAE); ranking a row needs the
 * partners' active-token counts, which the caller passes in ({@code long[d_sae]}, 8 bytes per feature).</li>
 * </ul>
 * Blocks of the same range merge exactly like whole partials, so splitting partials into blocks, merging each block
 * on its own and reading the blocks in feature order gives what merging the whole partials gives.
 */
public final class FeatureBlock implements FeatureResults {

	private static final long FORMAT = 0x4C554D424C4B3031L; // "LUMBLK01"

	private final StatsSettings settings;

	private final int dSae;

	private final int from;

	private final int to;

	private final boolean exactRows; // rows from the dense table: no partner cap

	private final Moments moments;

	private final BoundedExamples[] top;

	private final LogHistogram histogram;

	private final BandSamples bands;

	private final ZeroWindows zeros;

	private final PartnerCounts[] rows;

	/**
	 * An empty block.
	 * @param exactRows co-occurrence rows counted without a cap (as a partial of an SAE of at most 4,096 features)
	 */
	public FeatureBlock(StatsSettings settings, int dSae, int from, int to, boolean exactRows) {
		if (from < 0 || to > dSae || from >= to) {
			throw new IllegalArgumentException("feature block [" + from + ", " + to + ") of an SAE of " + dSae + " features");
		}
		this.settings = settings;
		this.dSae = dSae;
		this.from = from;
		this.to = to;
		this.exactRows = exactRows;
		int width = to - from;
		this.moments = new Moments(width);
		this.top = new BoundedExamples[width];
		this.histogram = new LogHistogram(width, settings.histogramBinsPerOctave());
		this.bands = new BandSamples(width, settings.bandsPerOctave(), settings.perInterval());
		this.zeros = new ZeroWindows(settings.seed(), settings.zeroCandidates());
		this.rows = new PartnerCounts[width];
	}

	/** Copies the block's features out of a whole partial's parts (see {@link FeatureStatistics#blocks}). */
	void copyFrom(Moments m, BoundedExamples[] wholeTop, LogHistogram h, BandSamples b, ZeroWindows z,
			SegmentedCoOccurrence co) {
		this.moments.tokens = m.tokens;
		for (int f = this.from; f < this.to; f++) {
			int i = f - this.from;
			this.moments.active[i] = m.active[f];
			this.moments.sum[i] = m.sum[f];
			this.moments.max[i] = m.max[f];
			this.moments.minPositive[i] = m.minPositive[f];
			if (wholeTop[f] != null) {
				this.top[i] = new BoundedExamples(ExampleOrder.BY_ACTIVATION, this.settings.topK());
				this.top[i].merge(wholeTop[f]);
			}
			this.histogram.copyFeature(h, f, i);
			this.bands.copyFeature(b, f, i);
			this.rows[i] = co.row(f);
		}
		for (ZeroWindows.Candidate c : z.candidates()) {
			this.zeros.offer(onlyBlockFeatures(c));
		}
	}

	/** The candidate window with the activations of this block's features only (all its zero examples read). */
	private ZeroWindows.Candidate onlyBlockFeatures(ZeroWindows.Candidate c) {
		WindowActivations w = c.window();
		int[] offsets = new int[w.length() + 1];
		int[] features = new int[w.entries()];
		float[] values = new float[w.entries()];
		int n = 0;
		for (int t = 0; t < w.length(); t++) {
			for (int k = w.offsets()[t]; k < w.offsets()[t + 1]; k++) {
				if (w.features()[k] >= this.from && w.features()[k] < this.to) {
					features[n] = w.features()[k];
					values[n++] = w.values()[k];
				}
			}
			offsets[t + 1] = n;
		}
		int[] counted = Arrays.stream(c.countedActive()).filter(f -> f >= this.from && f < this.to).toArray();
		return new ZeroWindows.Candidate(c.key(), new WindowActivations(w.window(), w.length(), offsets,
				Arrays.copyOf(features, n), Arrays.copyOf(values, n)), counted);
	}

	/** Adds everything {@code other} holds: the same features of a partial over disjoint windows. */
	public void merge(FeatureBlock other) {
		if (!other.settings.equals(this.settings) || other.dSae != this.dSae || other.from != this.from
				|| other.to != this.to || other.exactRows != this.exactRows) {
			throw new IllegalArgumentException("cannot merge " + other + " into " + this);
		}
		this.moments.merge(other.moments);
		for (int i = 0; i < this.top.length; i++) {
			if (other.top[i] != null) {
				if (this.top[i] == null) {
					this.top[i] = new BoundedExamples(ExampleOrder.BY_ACTIVATION, this.settings.topK());
				}
				this.top[i].merge(other.top[i]);
			}
			if (other.rows[i] != null) {
				if (this.rows[i] == null) {
					this.rows[i] = new PartnerCounts(rowCap());
				}
				this.rows[i].addAll(other.rows[i]);
			}
		}
		this.histogram.merge(other.histogram);
		this.bands.merge(other.bands);
		this.zeros.merge(other.zeros);
	}

	private int rowCap() {
		return this.exactRows ? this.dSae : this.settings.partnerCap();
	}

	// ---- results, by the SAE's feature index

	public StatsSettings settings() {
		return this.settings;
	}

	public int dSae() {
		return this.dSae;
	}

	@Override
	public int firstFeature() {
		return this.from;
	}

	@Override
	public int endFeature() {
		return this.to;
	}

	@Override
	public long tokens() {
		return this.moments.tokens;
	}

	@Override
	public long activeTokens(int f) {
		return this.moments.active[local(f)];
	}

	@Override
	public double density(int f) {
		return this.moments.tokens == 0 ? 0 : activeTokens(f) / (double) this.moments.tokens;
	}

	@Override
	public float maxActivation(int f) {
		return this.moments.max[local(f)];
	}

	@Override
	public double meanActivation(int f) {
		long n = activeTokens(f);
		return n == 0 ? Double.NaN : this.moments.sum[local(f)] / n;
	}

	@Override
	public Example[] topExamples(int f) {
		BoundedExamples t = this.top[local(f)];
		return t == null ? new Example[0] : t.sorted();
	}

	@Override
	public Example[][] intervalExamples(int f) {
		int i = local(f);
		return this.bands.intervals(i, this.moments.max[i], this.settings.intervals(), this.settings.perInterval());
	}

	@Override
	public Example[] zeroExamples(int f) {
		local(f);
		return this.zeros.samples(f, this.settings.zeroSamples());
	}

	@Override
	public Histogram histogram(int f) {
		return this.histogram.of(local(f));
	}

	@Override
	public CoOccurring coOccurring(int f, int n, long[] activeTokensOfAll) {
		return PartnerCounts.top(this.rows[local(f)], f, activeTokensOfAll, n);
	}

	private int local(int f) {
		if (f < this.from || f >= this.to) {
			throw new IndexOutOfBoundsException("feature " + f + " is not in the block [" + this.from + ", " + this.to + ")");
		}
		return f - this.from;
	}

	// ---- state

	public void write(DataOutput out) throws IOException {
		out.writeLong(FORMAT);
		out.writeInt(this.dSae);
		out.writeInt(this.from);
		out.writeInt(this.to);
		out.writeBoolean(this.exactRows);
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
		for (PartnerCounts p : this.rows) {
			out.writeBoolean(p != null);
			if (p != null) {
				p.write(out);
			}
		}
	}

	/** Reads what {@link #write} wrote with the same settings. */
	public static FeatureBlock read(DataInput in, StatsSettings settings) throws IOException {
		StateIO.expect(in, "block format", FORMAT);
		int dSae = in.readInt();
		int from = in.readInt();
		int to = in.readInt();
		FeatureBlock b = new FeatureBlock(settings, dSae, from, to, in.readBoolean());
		StateIO.expect(in, "settings hash", settings.hashCode());
		b.moments.read(in);
		for (int i = 0; i < b.top.length; i++) {
			b.top[i] = in.readBoolean() ? BoundedExamples.read(in, ExampleOrder.BY_ACTIVATION, settings.topK()) : null;
		}
		b.histogram.read(in);
		b.bands.read(in);
		b.zeros.read(in);
		for (int i = 0; i < b.rows.length; i++) {
			b.rows[i] = in.readBoolean() ? PartnerCounts.read(in, b.rowCap()) : null;
		}
		return b;
	}

	@Override
	public String toString() {
		return "FeatureBlock[" + this.from + ", " + this.to + ") of d_sae=" + this.dSae + ", tokens=" + this.moments.tokens;
	}
}
