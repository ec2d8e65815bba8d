package dev.lumen.stats;

import java.util.Arrays;

/**
 * One window kept as an example of one feature, with that feature's per-token activations stored sparsely.
 * @param window corpus window id
 * @param maxActivation the feature's largest activation over the window's counted positions (0 for a zero sample)
 * @param maxPosition where that maximum is (first occurrence)
 * @param key the sampling key of (feature, window), uniform in [0, 1); 0 for top examples
 * @param positions positions where the feature is non-zero, ascending, every position (BOS included)
 * @param values the feature's activation at each of {@code positions}
 */
public record Example(int window, float maxActivation, int maxPosition, double key, short[] positions, float[] values) {

	/** @return the feature's activation at every position of a window of {@code length} tokens */
	public float[] dense(int length) {
		float[] out = new float[length];
		for (int i = 0; i < this.positions.length; i++) {
			if (this.positions[i] < length) {
				out[this.positions[i]] = this.values[i];
			}
		}
		return out;
	}

	/** Rough heap bytes of this example (object headers, arrays), for memory accounting. */
	long bytes() {
		return 64 + 2L * this.positions.length + 4L * this.values.length;
	}

	@Override
	public boolean equals(Object o) {
		return o instanceof Example e && e.window == this.window && e.maxActivation == this.maxActivation
				&& e.maxPosition == this.maxPosition && e.key == this.key && Arrays.equals(e.positions, this.positions)
				&& Arrays.equals(e.values, this.values);
	}

	@Override
	public int hashCode() {
		return 31 * this.window + Float.hashCode(this.maxActivation);
	}

	@Override
	public String toString() {
		return "Example[window=" + this.window + ", max=" + this.maxActivation + " @" + this.maxPosition + ", key="
				+ this.key + ", positions=" + Arrays.toString(this.positions) + "]";
	}
}
