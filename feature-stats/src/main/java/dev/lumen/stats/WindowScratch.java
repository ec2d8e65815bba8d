package dev.lumen.stats;

import java.util.Arrays;

/**
 * Regroups one window's entries from position-major to feature-major in O(entries): for each feature touched in
 * the window, its positions and values (every position) and its max over the counted positions. The d_sae-sized
 * slot table is reset only where it was touched, so a window costs its entries, not d_sae.
 */
final class WindowScratch {

	private final int[] slot; // [dSae], -1 when the feature is not in the current window

	private int[] feature = new int[256]; // [touched]

	private int[] start = new int[257]; // [touched + 1] into positions/values

	private int[] fill = new int[256];

	private float[] max = new float[256]; // [touched] over counted positions

	private int[] argmax = new int[256];

	private short[] positions = new short[1024]; // [entries], grouped by feature

	private float[] values = new float[1024];

	private int touched;

	private int countedTouched;

	WindowScratch(int dSae) {
		this.slot = new int[dSae];
		Arrays.fill(this.slot, -1);
	}

	/** The current window's grouping; valid until the next {@link WindowScratch#group}. */
	final class Grouped {

		int count() {
			return WindowScratch.this.touched;
		}

		int[] feature() {
			return WindowScratch.this.feature;
		}

		float[] max() {
			return WindowScratch.this.max;
		}

		/** @return an example of touched feature i (copies its positions and values) */
		Example example(int i, int window, double key) {
			int from = WindowScratch.this.start[i];
			int to = WindowScratch.this.start[i + 1];
			return new Example(window, WindowScratch.this.max[i], WindowScratch.this.argmax[i], key,
					Arrays.copyOfRange(WindowScratch.this.positions, from, to),
					Arrays.copyOfRange(WindowScratch.this.values, from, to));
		}

		/** @return the features active on at least one counted position, ascending */
		int[] countedFeatures() {
			int[] out = new int[WindowScratch.this.countedTouched];
			int n = 0;
			for (int i = 0; i < WindowScratch.this.touched; i++) {
				if (WindowScratch.this.max[i] > 0f) {
					out[n++] = WindowScratch.this.feature[i];
				}
			}
			Arrays.sort(out);
			return out;
		}
	}

	private final Grouped view = new Grouped();

	Grouped group(WindowActivations w, int firstCounted) {
		reset();
		int[] fs = w.features();
		int entries = fs.length;
		if (this.positions.length < entries) {
			this.positions = new short[entries];
			this.values = new float[entries];
		}
		for (int k = 0; k < entries; k++) {
			int f = fs[k];
			if (this.slot[f] < 0) {
				touch(f);
			}
			this.fill[this.slot[f]]++;
		}
		for (int i = 0; i < this.touched; i++) {
			this.start[i + 1] = this.start[i] + this.fill[i];
			this.fill[i] = this.start[i];
		}
		for (int t = 0; t < w.length(); t++) {
			for (int k = w.offsets()[t]; k < w.offsets()[t + 1]; k++) {
				int i = this.slot[fs[k]];
				float v = w.values()[k];
				this.positions[this.fill[i]] = (short) t;
				this.values[this.fill[i]++] = v;
				if (t >= firstCounted && v > this.max[i]) {
					if (this.max[i] == 0f) {
						this.countedTouched++;
					}
					this.max[i] = v;
					this.argmax[i] = t;
				}
			}
		}
		return this.view;
	}

	private void touch(int f) {
		if (this.touched == this.feature.length) {
			int n = this.feature.length * 2;
			this.feature = Arrays.copyOf(this.feature, n);
			this.start = Arrays.copyOf(this.start, n + 1);
			this.fill = Arrays.copyOf(this.fill, n);
			this.max = Arrays.copyOf(this.max, n);
			this.argmax = Arrays.copyOf(this.argmax, n);
		}
		int i = this.touched++;
		this.slot[f] = i;
		this.feature[i] = f;
		this.fill[i] = 0;
		this.max[i] = 0f;
		this.argmax[i] = 0;
	}

	private void reset() {
		for (int i = 0; i < this.touched; i++) {
			this.slot[this.feature[i]] = -1;
		}
		this.touched = 0;
		this.countedTouched = 0;
		this.start[0] = 0;
	}
}
