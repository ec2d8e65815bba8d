package dev.lumen.engine.kernel;

import java.util.Arrays;

/**
 * Plain loops, written so that C2 can auto-vectorize the ones without a reduction (the axpy forms); the
 * reference for {@link VectorKernels} and the fallback when the Vector API module is not loaded.
 */
final class ScalarKernels implements CpuKernels {

	static final ScalarKernels INSTANCE = new ScalarKernels();

	private static final int PANEL_WIDTH = 64;

	private ScalarKernels() {
	}

	@Override
	public String name() {
		return "scalar";
	}

	@Override
	public PanelMatrix pack(float[] w, int n, int d) {
		return PanelMatrix.pack(w, n, d, PANEL_WIDTH);
	}

	@Override
	public PanelMatrix packBf16(float[] w, int n, int d) {
		return PanelMatrix.packBf16(w, n, d, PANEL_WIDTH);
	}

	@Override
	public void matVec(float[] out, float[] x, PanelMatrix w, int fromPanel, int toPanel) {
		if (w.isBf16()) {
			matVecBf16(out, x, w, fromPanel, toPanel);
			return;
		}
		int n = w.rows();
		int d = w.columns();
		int width = w.panelWidth();
		float[] data = w.data();
		for (int p = fromPanel; p < toPanel; p++) {
			int col = p * width;
			int cols = Math.min(width, d - col);
			Arrays.fill(out, col, col + cols, 0f);
			int base = p * n * width;
			int j = 0;
			// four inputs per pass: one load and store of the outputs per four multiply-adds; Java adds left to
			// right, so each output still sums its terms in input order
			for (; j + 3 < n; j += 4) {
				float x0 = x[j];
				float x1 = x[j + 1];
				float x2 = x[j + 2];
				float x3 = x[j + 3];
				int r0 = base + j * width;
				int r1 = r0 + width;
				int r2 = r1 + width;
				int r3 = r2 + width;
				for (int i = 0; i < cols; i++) {
					out[col + i] = out[col + i] + data[r0 + i] * x0 + data[r1 + i] * x1 + data[r2 + i] * x2 + data[r3 + i] * x3;
				}
			}
			for (; j < n; j++) {
				float xj = x[j];
				int row = base + j * width;
				for (int i = 0; i < cols; i++) {
					out[col + i] += data[row + i] * xj;
				}
			}
		}
	}

	private static void matVecBf16(float[] out, float[] x, PanelMatrix w, int fromPanel, int toPanel) {
		int n = w.rows();
		int width = w.panelWidth();
		short[] bits = w.bf16Data();
		for (int p = fromPanel; p < toPanel; p++) {
			int col = p * width;
			int cols = Math.min(width, w.columns() - col);
			Arrays.fill(out, col, col + cols, 0f);
			for (int j = 0; j < n; j++) {
				float xj = x[j];
				int row = (p * n + j) * width;
				for (int i = 0; i < cols; i++) {
					out[col + i] += Float.intBitsToFloat(bits[row + i] << 16) * xj;
				}
			}
		}
	}

	@Override
	public void axpy(float[] y, int yOff, float a, float[] x, int xOff, int len) {
		for (int i = 0; i < len; i++) {
			y[yOff + i] += a * x[xOff + i];
		}
	}

	@Override
	public float max(float[] a, int len) {
		float m = Float.NEGATIVE_INFINITY;
		for (int i = 0; i < len; i++) {
			m = Math.max(m, a[i]);
		}
		return m;
	}

	@Override
	public float expShiftSum(float[] a, int len, float shift) {
		float sum = 0f;
		for (int i = 0; i < len; i++) {
			a[i] = (float) Math.exp(a[i] - shift);
			sum += a[i];
		}
		return sum;
	}

	@Override
	public void siluGate(float[] h, int n) {
		for (int i = 0; i < n; i++) {
			float g = h[i];
			h[i] = g / (1f + (float) Math.exp(-g)) * h[n + i];
		}
	}
}
