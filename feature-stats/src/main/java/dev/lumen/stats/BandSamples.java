package dev.lumen.stats;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Interval examples in one pass. The intervals split (0, max] into equal parts, but max is known only at the end,
 * so windows are first kept per <em>band</em>: a fixed logarithmic grid of the window's max activation
 * (band b = [2^(b/r), 2^((b+1)/r))). Each band keeps a bottom-k sample by sampling key, which merges exactly.
 * At the end, interval i's sample is the {@code perInterval} smallest keys among the kept windows whose max lies
 * in interval i. For every band wholly inside an interval this equals the bottom-k sample of all the interval's
 * windows; a band that straddles an interval edge contributes a uniform sample of its part (documented in
 * docs/extraction.md).
 */
final class BandSamples {

	private final int bandsPerOctave;

	private final int perBand;

	private final int[][] bands; // [dSae][n] band ids, null until the feature is active

	private final BoundedExamples[][] samples; // [dSae][n]

	BandSamples(int dSae, int bandsPerOctave, int perBand) {
		this.bandsPerOctave = bandsPerOctave;
		this.perBand = perBand;
		this.bands = new int[dSae][];
		this.samples = new BoundedExamples[dSae][];
	}

	/** @return the band's sample for (feature, window max), created if missing */
	BoundedExamples band(int f, float windowMax) {
		int b = LogHistogram.bin(windowMax, this.bandsPerOctave);
		int[] ids = this.bands[f];
		if (ids == null) {
			this.bands[f] = new int[] { b };
			this.samples[f] = new BoundedExamples[] { new BoundedExamples(ExampleOrder.BY_KEY, this.perBand) };
			return this.samples[f][0];
		}
		for (int i = 0; i < ids.length; i++) {
			if (ids[i] == b) {
				return this.samples[f][i];
			}
		}
		this.bands[f] = Arrays.copyOf(ids, ids.length + 1);
		this.bands[f][ids.length] = b;
		this.samples[f] = Arrays.copyOf(this.samples[f], ids.length + 1);
		return this.samples[f][ids.length] = new BoundedExamples(ExampleOrder.BY_KEY, this.perBand);
	}

	void merge(BandSamples o) {
		for (int f = 0; f < this.bands.length; f++) {
			if (o.bands[f] == null) {
				continue;
			}
			for (int i = 0; i < o.bands[f].length; i++) {
				Example[] items = o.samples[f][i].sorted();
				if (items.length > 0) {
					BoundedExamples mine = band(f, items[0].maxActivation());
					for (Example e : items) {
						mine.offer(e);
					}
				}
			}
		}
	}

	/**
	 * @param max the feature's max over the whole corpus
	 * @return per interval of (0, max], the sampled examples, strongest first
	 */
	Example[][] intervals(int f, float max, int intervals, int perInterval) {
		List<List<Example>> byInterval = new ArrayList<>();
		for (int i = 0; i < intervals; i++) {
			byInterval.add(new ArrayList<>());
		}
		if (this.bands[f] != null) {
			for (BoundedExamples band : this.samples[f]) {
				for (Example e : band.sorted()) {
					byInterval.get(intervalOf(e.maxActivation(), max, intervals)).add(e);
				}
			}
		}
		Example[][] out = new Example[intervals][];
		for (int i = 0; i < intervals; i++) {
			List<Example> c = byInterval.get(i);
			c.sort(ExampleOrder.BY_KEY::compare);
			Example[] kept = c.subList(0, Math.min(perInterval, c.size())).toArray(Example[]::new);
			Arrays.sort(kept, ExampleOrder.BY_ACTIVATION::compare);
			out[i] = kept;
		}
		return out;
	}

	/** @return the interval of (0, max] split into {@code n} equal parts that holds {@code value} */
	static int intervalOf(float value, float max, int n) {
		int i = (int) Math.ceil(value / max * n) - 1;
		return Math.max(0, Math.min(n - 1, i));
	}

	/** Adds feature {@code f}'s samples of {@code source} to feature {@code into} of this one (feature blocks). */
	void copyFeature(BandSamples source, int f, int into) {
		if (source.bands[f] == null) {
			return;
		}
		for (BoundedExamples s : source.samples[f]) {
			Example[] items = s.sorted();
			if (items.length > 0) {
				BoundedExamples mine = band(into, items[0].maxActivation());
				for (Example e : items) {
					mine.offer(e);
				}
			}
		}
	}

	long bytes(int f) {
		long b = 0;
		if (this.bands[f] != null) {
			for (BoundedExamples s : this.samples[f]) {
				b += 8 + s.bytes();
			}
		}
		return b;
	}

	void write(DataOutput out) throws IOException {
		for (int f = 0; f < this.bands.length; f++) {
			int n = this.bands[f] == null ? 0 : this.bands[f].length;
			out.writeInt(n);
			for (int i = 0; i < n; i++) {
				this.samples[f][i].write(out);
			}
		}
	}

	void read(DataInput in) throws IOException {
		for (int f = 0; f < this.bands.length; f++) {
			this.bands[f] = null;
			this.samples[f] = null;
			int n = in.readInt();
			for (int i = 0; i < n; i++) {
				BoundedExamples s = BoundedExamples.read(in, ExampleOrder.BY_KEY, this.perBand);
				Example[] items = s.sorted();
				if (items.length > 0) {
					BoundedExamples mine = band(f, items[0].maxActivation());
					for (Example e : items) {
						mine.offer(e);
					}
				}
			}
		}
	}
}
