package dev.lumen.engine.kernel;

/**
 * A weight matrix W [n, d] (the canonical [in, out] layout) repacked for matrix-vector products on the CPU:
 * the columns are cut into panels of {@code panelWidth} and each panel is stored row after row, zero-padded
 * to full width. A product then streams memory strictly forward and keeps one panel's outputs in registers
 * while it walks the n inputs, so each output is still the sum of its terms in input order.
 */
public final class PanelMatrix {

	private final int n;

	private final int d;

	private final int panelWidth;

	private final float[] data; // [panels][n][panelWidth], or null when stored as bfloat16

	private final short[] bf16; // [panels][n][panelWidth] bfloat16 bits (a float's upper half), or null

	private PanelMatrix(int n, int d, int panelWidth, float[] data, short[] bf16) {
		this.n = n;
		this.d = d;
		this.panelWidth = panelWidth;
		this.data = data;
		this.bf16 = bf16;
	}

	/**
	 * @param w row-major W, [n * d]; only read
	 * @param n rows (inputs)
	 * @param d columns (outputs)
	 * @param panelWidth columns per panel
	 * @return the packed copy
	 */
	static PanelMatrix pack(float[] w, int n, int d, int panelWidth) {
		if (w.length != (long) n * d) {
			throw new IllegalArgumentException("matrix has " + w.length + " values, expected " + n + " x " + d);
		}
		int panels = (d + panelWidth - 1) / panelWidth;
		float[] data = new float[Math.multiplyExact(Math.multiplyExact(panels, n), panelWidth)];
		for (int p = 0; p < panels; p++) {
			int col = p * panelWidth;
			int width = Math.min(panelWidth, d - col);
			for (int j = 0; j < n; j++) {
				System.arraycopy(w, j * d + col, data, (p * n + j) * panelWidth, width);
			}
		}
		return new PanelMatrix(n, d, panelWidth, data, null);
	}

	/**
	 * Packs W as {@link #pack} does, each weight rounded to bfloat16 (nearest, ties to even): half the bytes per
	 * product, for batch-1 decoding where streaming the weights from memory is the limit. Exact when W came from a
	 * bfloat16 checkpoint.
	 */
	static PanelMatrix packBf16(float[] w, int n, int d, int panelWidth) {
		float[] floats = pack(w, n, d, panelWidth).data;
		short[] bits = new short[floats.length];
		for (int i = 0; i < floats.length; i++) {
			bits[i] = toBf16(floats[i]);
		}
		return new PanelMatrix(n, d, panelWidth, null, bits);
	}

	/** @return the bfloat16 nearest to v (ties to even), as its bits; NaN stays NaN */
	static short toBf16(float v) {
		int bits = Float.floatToRawIntBits(v);
		if (Float.isNaN(v)) {
			return (short) ((bits >>> 16) | 0x40);
		}
		return (short) ((bits + 0x7fff + ((bits >>> 16) & 1)) >>> 16);
	}

	/** @return rows, the length of the input vector */
	public int rows() {
		return this.n;
	}

	/** @return columns, the length of the output vector */
	public int columns() {
		return this.d;
	}

	int panelWidth() {
		return this.panelWidth;
	}

	/** @return column panels, the units {@link CpuKernels#matVec(float[], float[], PanelMatrix, int, int)} splits at */
	public int panels() {
		return (this.d + this.panelWidth - 1) / this.panelWidth;
	}

	float[] data() {
		return this.data;
	}

	/** @return true when the weights are stored as bfloat16 ({@link #bf16Data()}), not float32 ({@link #data()}) */
	public boolean isBf16() {
		return this.bf16 != null;
	}

	short[] bf16Data() {
		return this.bf16;
	}
}
