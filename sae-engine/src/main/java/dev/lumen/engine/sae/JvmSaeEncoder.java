package dev.lumen.engine.sae;

import dev.lumen.engine.kernel.CpuKernels;
import dev.lumen.engine.kernel.PanelMatrix;

/**
 * Host copy of an SAE's encoder for one activation vector at a time, on the {@link CpuKernels}: what steering
 * needs at every generated token, where a round trip through native code would cost more than the arithmetic.
 */
final class JvmSaeEncoder {

	private final CpuKernels kernels = CpuKernels.best();

	private final PanelMatrix wEnc; // [dIn, dSae]

	private final float[] bEnc; // [dSae]

	private final float[] bDec; // [dIn], or null when b_dec is not subtracted from the input

	JvmSaeEncoder(SaeConfig config, float[] wEnc, float[] bEnc, float[] bDec) {
		this.wEnc = this.kernels.pack(wEnc, config.dIn(), config.dSae());
		this.bEnc = bEnc;
		this.bDec = config.applyBDecToInput() ? bDec : null;
	}

	/**
	 * @param x [dIn], only read
	 * @param pre [dSae], receives x·W_enc + b_enc (after subtracting b_dec when the SAE does)
	 */
	void preActivations(float[] x, float[] pre) {
		float[] in = x;
		if (this.bDec != null) {
			in = new float[x.length];
			for (int i = 0; i < x.length; i++) {
				in[i] = x[i] - this.bDec[i];
			}
		}
		this.kernels.matVec(pre, in, this.wEnc);
		for (int i = 0; i < this.bEnc.length; i++) {
			pre[i] += this.bEnc[i];
		}
	}

	/**
	 * Keeps the k largest entries of {@code pre} (ReLU applied) and zeroes the rest, in place. Ties at the k-th
	 * value keep the lower index.
	 */
	static void keepTopK(float[] pre, int k) {
		int n = pre.length;
		if (k >= n) {
			for (int i = 0; i < n; i++) {
				pre[i] = Math.max(pre[i], 0f);
			}
			return;
		}
		// min-heap of the k best (value, index) seen so far; most entries fail the first comparison
		float[] heapValue = new float[k];
		int[] heapIndex = new int[k];
		for (int i = 0; i < k; i++) {
			heapValue[i] = pre[i];
			heapIndex[i] = i;
			siftUp(heapValue, heapIndex, i);
		}
		for (int i = k; i < n; i++) {
			if (pre[i] > heapValue[0]) {
				heapValue[0] = pre[i];
				heapIndex[0] = i;
				siftDown(heapValue, heapIndex, k);
			}
		}
		float[] kept = new float[k];
		for (int j = 0; j < k; j++) {
			kept[j] = Math.max(heapValue[j], 0f);
		}
		java.util.Arrays.fill(pre, 0f);
		for (int j = 0; j < k; j++) {
			pre[heapIndex[j]] = kept[j];
		}
	}

	private static boolean less(float[] v, int[] idx, int a, int b) {
		// the heap's root is the entry to evict first: the smallest value, and among equals the higher index
		return v[a] < v[b] || (v[a] == v[b] && idx[a] > idx[b]);
	}

	private static void siftUp(float[] v, int[] idx, int i) {
		while (i > 0) {
			int parent = (i - 1) / 2;
			if (!less(v, idx, i, parent)) {
				return;
			}
			swap(v, idx, i, parent);
			i = parent;
		}
	}

	private static void siftDown(float[] v, int[] idx, int size) {
		int i = 0;
		while (true) {
			int l = 2 * i + 1;
			int r = l + 1;
			int smallest = i;
			if (l < size && less(v, idx, l, smallest)) {
				smallest = l;
			}
			if (r < size && less(v, idx, r, smallest)) {
				smallest = r;
			}
			if (smallest == i) {
				return;
			}
			swap(v, idx, i, smallest);
			i = smallest;
		}
	}

	private static void swap(float[] v, int[] idx, int a, int b) {
		float tv = v[a];
		v[a] = v[b];
		v[b] = tv;
		int ti = idx[a];
		idx[a] = idx[b];
		idx[b] = ti;
	}
}
