package dev.lumen.stats;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Per-feature activation histograms on one fixed logarithmic grid: bin b holds values in
 * [2^(b/r), 2^((b+1)/r)) with r bins per octave. The grid does not depend on the data, so counts merge by
 * addition, exactly; each feature stores only the bins between its smallest and largest value.
 */
final class LogHistogram {

	private final int binsPerOctave;

	private final int[] first; // [dSae], grid index of counts[f][0]

	private final long[][] counts; // [dSae][span], null until the feature is active

	LogHistogram(int dSae, int binsPerOctave) {
		this.binsPerOctave = binsPerOctave;
		this.first = new int[dSae];
		this.counts = new long[dSae][];
	}

	/** @return the grid bin of a positive value */
	static int bin(float v, int binsPerOctave) {
		return (int) Math.floor(Math.log(v) / Math.log(2) * binsPerOctave);
	}

	/** @return the lower edge of grid bin b */
	static float edge(int b, int binsPerOctave) {
		return (float) Math.pow(2, b / (double) binsPerOctave);
	}

	void add(int f, float v) {
		addCount(f, bin(v, this.binsPerOctave), 1);
	}

	private void addCount(int f, int b, long n) {
		long[] c = this.counts[f];
		if (c == null) {
			this.counts[f] = new long[] { n };
			this.first[f] = b;
			return;
		}
		int lo = this.first[f];
		if (b < lo || b >= lo + c.length) {
			int newLo = Math.min(lo, b);
			int newHi = Math.max(lo + c.length, b + 1);
			long[] grown = new long[newHi - newLo];
			System.arraycopy(c, 0, grown, lo - newLo, c.length);
			this.counts[f] = c = grown;
			this.first[f] = lo = newLo;
		}
		c[b - lo] += n;
	}

	void merge(LogHistogram o) {
		for (int f = 0; f < this.counts.length; f++) {
			long[] c = o.counts[f];
			if (c != null) {
				for (int i = 0; i < c.length; i++) {
					if (c[i] != 0) {
						addCount(f, o.first[f] + i, c[i]);
					}
				}
			}
		}
	}

	/** @return the feature's histogram over the bins from its smallest to its largest value, or null if never active */
	Histogram of(int f) {
		long[] c = this.counts[f];
		if (c == null) {
			return null;
		}
		float[] edges = new float[c.length + 1];
		for (int i = 0; i <= c.length; i++) {
			edges[i] = edge(this.first[f] + i, this.binsPerOctave);
		}
		return new Histogram(edges, c.clone());
	}

	/** Copies feature {@code f} of {@code source} into feature {@code into} of this histogram (feature blocks). */
	void copyFeature(LogHistogram source, int f, int into) {
		long[] c = source.counts[f];
		this.counts[into] = c == null ? null : c.clone();
		this.first[into] = source.first[f];
	}

	long bytes(int f) {
		return this.counts[f] == null ? 0 : 16 + 8L * this.counts[f].length;
	}

	void write(DataOutput out) throws IOException {
		for (int f = 0; f < this.counts.length; f++) {
			long[] c = this.counts[f];
			out.writeInt(c == null ? -1 : c.length);
			if (c != null) {
				out.writeInt(this.first[f]);
				for (long v : c) {
					out.writeLong(v);
				}
			}
		}
	}

	void read(DataInput in) throws IOException {
		for (int f = 0; f < this.counts.length; f++) {
			int n = in.readInt();
			if (n < 0) {
				this.counts[f] = null;
				continue;
			}
			this.first[f] = in.readInt();
			long[] c = new long[n];
			for (int i = 0; i < n; i++) {
				c[i] = in.readLong();
			}
			this.counts[f] = c;
		}
	}
}
