package dev.lumen.engine.kernel;

/**
 * The inner loops of plain-Java inference (batch-1 decoding, single-position SAE encoding): a matrix-vector
 * product and the few vector operations attention and the MLP need. {@link #best()} picks the SIMD version
 * (the JDK's Vector API, module {@code jdk.incubator.vector}) when the JVM was started with it, and plain
 * loops otherwise; both give the same results up to float rounding.
 */
public interface CpuKernels {

	/**
	 * @return the Vector API kernels when {@code --add-modules jdk.incubator.vector} is on, else the scalar
	 * ones; {@code -Dlumen.engine.simd=false} forces the scalar ones
	 */
	static CpuKernels best() {
		return KernelSelection.BEST;
	}

	/** @return the plain-loop kernels, the reference the SIMD ones are tested against */
	static CpuKernels scalar() {
		return ScalarKernels.INSTANCE;
	}

	/** @return a short name for logs and benchmarks, e.g. "vector-512" or "scalar" */
	String name();

	/**
	 * Packs W [n, d] for {@link #matVec}.
	 * @param w row-major [n * d]; only read
	 * @param n rows (inputs)
	 * @param d columns (outputs)
	 * @return the packed matrix
	 */
	PanelMatrix pack(float[] w, int n, int d);

	/** Packs W [n, d] for {@link #matVec} as bfloat16 (see {@link PanelMatrix#packBf16}); products run in float32. */
	PanelMatrix packBf16(float[] w, int n, int d);

	/**
	 * out[0, d) = x[0, n) · W, each output summed in input order.
	 * @param out [>= d]
	 * @param x [>= n]
	 * @param w packed by this object's {@link #pack}
	 */
	default void matVec(float[] out, float[] x, PanelMatrix w) {
		matVec(out, x, w, 0, w.panels());
	}

	/**
	 * The outputs of panels [fromPanel, toPanel) of {@link #matVec(float[], float[], PanelMatrix)}, so that two
	 * threads can share one product.
	 */
	void matVec(float[] out, float[] x, PanelMatrix w, int fromPanel, int toPanel);

	/** y[yOff + i] += a · x[xOff + i] for i in [0, len). */
	void axpy(float[] y, int yOff, float a, float[] x, int xOff, int len);

	/** @return the largest of a[0, len), or -infinity when len is 0 */
	float max(float[] a, int len);

	/**
	 * a[i] = exp(a[i] - shift) for i in [0, len).
	 * @return the sum of the new values
	 */
	float expShiftSum(float[] a, int len, float shift);

	/** h[i] = silu(h[i]) · h[n + i] for i in [0, n): the SwiGLU of a fused gate/up product. */
	void siluGate(float[] h, int n);
}
