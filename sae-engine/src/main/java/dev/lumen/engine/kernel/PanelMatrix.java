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

	private final float[] data; // [panels][n][panelWidth]

	private PanelMatrix(int n, int d, int panelWidth, float[] data) {
		this.n = n;
		this.d = d;
		this.panelWidth = panelWidth;
		this.data = data;
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
		return new PanelMatrix(n, d, panelWidth, data);
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
}
