package dev.lumen.engine.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD kernels on the JDK's Vector API (incubating in Java 17; needs {@code --add-modules jdk.incubator.vector}).
 * The matrix-vector product keeps a panel of eight vectors of outputs in registers while it walks the inputs
 * with fused multiply-adds, so weights stream from memory once and outputs are stored once; C2's
 * auto-vectorization of the scalar loops can do neither (Java forbids fusing a*b+c, and the axpy form loads and
 * stores the outputs for every input).
 */
final class VectorKernels implements CpuKernels {

	private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

	private static final int L = S.length();

	private static final VectorSpecies<Short> HALF = VectorSpecies.of(short.class, VectorShape.forBitSize(S.vectorBitSize() / 2));

	private static final VectorSpecies<Integer> INTS = VectorSpecies.of(int.class, S.vectorShape());

	/** Eight accumulators: enough independent FMA chains to hide the FMA latency. */
	private static final int PANEL_WIDTH = 8 * L;

	@Override
	public String name() {
		return "vector-" + S.vectorBitSize();
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
		if (w.panelWidth() != PANEL_WIDTH) {
			throw new IllegalArgumentException("matrix was packed for other kernels (panel width " + w.panelWidth() + ")");
		}
		if (w.isBf16()) {
			matVecBf16(out, x, w, fromPanel, toPanel);
			return;
		}
		int n = w.rows();
		int d = w.columns();
		float[] data = w.data();
		float[] tail = null;
		for (int p = fromPanel; p < toPanel; p++) {
			FloatVector a0 = FloatVector.zero(S);
			FloatVector a1 = a0;
			FloatVector a2 = a0;
			FloatVector a3 = a0;
			FloatVector a4 = a0;
			FloatVector a5 = a0;
			FloatVector a6 = a0;
			FloatVector a7 = a0;
			int o = p * n * PANEL_WIDTH;
			for (int j = 0; j < n; j++, o += PANEL_WIDTH) {
				FloatVector xj = FloatVector.broadcast(S, x[j]);
				a0 = FloatVector.fromArray(S, data, o).fma(xj, a0);
				a1 = FloatVector.fromArray(S, data, o + L).fma(xj, a1);
				a2 = FloatVector.fromArray(S, data, o + 2 * L).fma(xj, a2);
				a3 = FloatVector.fromArray(S, data, o + 3 * L).fma(xj, a3);
				a4 = FloatVector.fromArray(S, data, o + 4 * L).fma(xj, a4);
				a5 = FloatVector.fromArray(S, data, o + 5 * L).fma(xj, a5);
				a6 = FloatVector.fromArray(S, data, o + 6 * L).fma(xj, a6);
				a7 = FloatVector.fromArray(S, data, o + 7 * L).fma(xj, a7);
			}
			int col = p * PANEL_WIDTH;
			boolean full = col + PANEL_WIDTH <= d;
			float[] dst = full ? out : (tail == null ? tail = new float[PANEL_WIDTH] : tail);
			int at = full ? col : 0;
			a0.intoArray(dst, at);
			a1.intoArray(dst, at + L);
			a2.intoArray(dst, at + 2 * L);
			a3.intoArray(dst, at + 3 * L);
			a4.intoArray(dst, at + 4 * L);
			a5.intoArray(dst, at + 5 * L);
			a6.intoArray(dst, at + 6 * L);
			a7.intoArray(dst, at + 7 * L);
			if (!full) {
				System.arraycopy(tail, 0, out, col, d - col);
			}
		}
	}

	/** As the float32 product, each weight widened from bfloat16 (a 16-bit shift) as it is loaded. */
	private static void matVecBf16(float[] out, float[] x, PanelMatrix w, int fromPanel, int toPanel) {
		int n = w.rows();
		int d = w.columns();
		short[] bits = w.bf16Data();
		float[] tail = null;
		for (int p = fromPanel; p < toPanel; p++) {
			FloatVector a0 = FloatVector.zero(S);
			FloatVector a1 = a0;
			FloatVector a2 = a0;
			FloatVector a3 = a0;
			FloatVector a4 = a0;
			FloatVector a5 = a0;
			FloatVector a6 = a0;
			FloatVector a7 = a0;
			int o = p * n * PANEL_WIDTH;
			for (int j = 0; j < n; j++, o += PANEL_WIDTH) {
				FloatVector xj = FloatVector.broadcast(S, x[j]);
				a0 = widen(bits, o).fma(xj, a0);
				a1 = widen(bits, o + L).fma(xj, a1);
				a2 = widen(bits, o + 2 * L).fma(xj, a2);
				a3 = widen(bits, o + 3 * L).fma(xj, a3);
				a4 = widen(bits, o + 4 * L).fma(xj, a4);
				a5 = widen(bits, o + 5 * L).fma(xj, a5);
				a6 = widen(bits, o + 6 * L).fma(xj, a6);
				a7 = widen(bits, o + 7 * L).fma(xj, a7);
			}
			int col = p * PANEL_WIDTH;
			boolean full = col + PANEL_WIDTH <= d;
			float[] dst = full ? out : (tail == null ? tail = new float[PANEL_WIDTH] : tail);
			int at = full ? col : 0;
			a0.intoArray(dst, at);
			a1.intoArray(dst, at + L);
			a2.intoArray(dst, at + 2 * L);
			a3.intoArray(dst, at + 3 * L);
			a4.intoArray(dst, at + 4 * L);
			a5.intoArray(dst, at + 5 * L);
			a6.intoArray(dst, at + 6 * L);
			a7.intoArray(dst, at + 7 * L);
			if (!full) {
				System.arraycopy(tail, 0, out, col, d - col);
			}
		}
	}

	private static FloatVector widen(short[] bits, int offset) {
		return ((IntVector) ShortVector.fromArray(HALF, bits, offset).convertShape(VectorOperators.S2I, INTS, 0))
			.lanewise(VectorOperators.LSHL, 16)
			.reinterpretAsFloats();
	}

	@Override
	public void axpy(float[] y, int yOff, float a, float[] x, int xOff, int len) {
		FloatVector va = FloatVector.broadcast(S, a);
		int i = 0;
		for (int upper = S.loopBound(len); i < upper; i += L) {
			FloatVector.fromArray(S, x, xOff + i).fma(va, FloatVector.fromArray(S, y, yOff + i)).intoArray(y, yOff + i);
		}
		for (; i < len; i++) {
			y[yOff + i] = Math.fma(a, x[xOff + i], y[yOff + i]);
		}
	}

	@Override
	public float max(float[] a, int len) {
		float m = Float.NEGATIVE_INFINITY;
		int i = 0;
		int upper = S.loopBound(len);
		if (upper > 0) {
			FloatVector vm = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
			for (; i < upper; i += L) {
				vm = vm.max(FloatVector.fromArray(S, a, i));
			}
			m = vm.reduceLanes(VectorOperators.MAX);
		}
		for (; i < len; i++) {
			m = Math.max(m, a[i]);
		}
		return m;
	}

	@Override
	public float expShiftSum(float[] a, int len, float shift) {
		FloatVector vs = FloatVector.broadcast(S, shift);
		FloatVector acc = FloatVector.zero(S);
		int i = 0;
		for (int upper = S.loopBound(len); i < upper; i += L) {
			FloatVector e = FloatVector.fromArray(S, a, i).sub(vs).lanewise(VectorOperators.EXP);
			e.intoArray(a, i);
			acc = acc.add(e);
		}
		float sum = acc.reduceLanes(VectorOperators.ADD);
		for (; i < len; i++) {
			a[i] = (float) Math.exp(a[i] - shift);
			sum += a[i];
		}
		return sum;
	}

	@Override
	public void siluGate(float[] h, int n) {
		int i = 0;
		for (int upper = S.loopBound(n); i < upper; i += L) {
			FloatVector g = FloatVector.fromArray(S, h, i);
			FloatVector up = FloatVector.fromArray(S, h, n + i);
			g.div(g.neg().lanewise(VectorOperators.EXP).add(1f)).mul(up).intoArray(h, i);
		}
		for (; i < n; i++) {
			float g = h[i];
			h[i] = g / (1f + (float) Math.exp(-g)) * h[n + i];
		}
	}
}
