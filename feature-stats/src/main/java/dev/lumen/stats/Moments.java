package dev.lumen.stats;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/** Counted tokens and, per feature, active tokens, sum, max and smallest positive value: merged by +, +, max, min. */
final class Moments {

	long tokens; // counted positions of all windows

	final long[] active; // [dSae]

	final double[] sum; // [dSae]

	final float[] max; // [dSae]

	final float[] minPositive; // [dSae], +inf until active

	Moments(int dSae) {
		this.active = new long[dSae];
		this.sum = new double[dSae];
		this.max = new float[dSae];
		this.minPositive = new float[dSae];
		Arrays.fill(this.minPositive, Float.POSITIVE_INFINITY);
	}

	void add(int f, float v) {
		this.active[f]++;
		this.sum[f] += v;
		if (v > this.max[f]) {
			this.max[f] = v;
		}
		if (v < this.minPositive[f]) {
			this.minPositive[f] = v;
		}
	}

	void merge(Moments o) {
		this.tokens += o.tokens;
		for (int f = 0; f < this.active.length; f++) {
			if (o.active[f] == 0) {
				continue;
			}
			this.active[f] += o.active[f];
			this.sum[f] += o.sum[f];
			this.max[f] = Math.max(this.max[f], o.max[f]);
			this.minPositive[f] = Math.min(this.minPositive[f], o.minPositive[f]);
		}
	}

	void write(DataOutput out) throws IOException {
		out.writeLong(this.tokens);
		for (int f = 0; f < this.active.length; f++) {
			out.writeLong(this.active[f]);
			out.writeDouble(this.sum[f]);
			out.writeFloat(this.max[f]);
			out.writeFloat(this.minPositive[f]);
		}
	}

	void read(DataInput in) throws IOException {
		this.tokens = in.readLong();
		for (int f = 0; f < this.active.length; f++) {
			this.active[f] = in.readLong();
			this.sum[f] = in.readDouble();
			this.max[f] = in.readFloat();
			this.minPositive[f] = in.readFloat();
		}
	}
}
