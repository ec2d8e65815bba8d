package dev.lumen.engine.kernel;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Gets the JIT to compile {@link CpuKernels#best()} before the first token needs it. Until C2 compiles them, the
 * Vector API kernels run as plain Java fallbacks that allocate an array per vector operation, about 100x slower than
 * compiled: on a cold start that made the first decoded tokens of a 124M model take seconds. Run on small arrays in
 * a daemon thread while the model's weights load, the kernels reach C2 (thousands of calls and loop back-edges)
 * within a fraction of a second of CPU time.
 */
public final class KernelWarmUp {

	private static final AtomicBoolean STARTED = new AtomicBoolean();

	/** Calls per kernel: above HotSpot's C2 invocation threshold (5,000) with the loops' back-edges well past theirs. */
	private static final int CALLS = 12_000;

	private KernelWarmUp() {
	}

	/** Starts the warm-up once per JVM, in a low-priority daemon thread; later calls do nothing. */
	public static void startOnce() {
		if (STARTED.compareAndSet(false, true)) {
			Thread t = new Thread(() -> run(CpuKernels.best()), "lumen-kernel-warm-up");
			t.setDaemon(true);
			t.setPriority(Thread.MIN_PRIORITY);
			t.start();
		}
	}

	/**
	 * Exercises every kernel on small inputs.
	 * @return a value derived from every result, so that no call is dead code
	 */
	static float run(CpuKernels k) {
		int n = 16;
		int d = 130; // more than one panel and a partial one, so both store paths compile
		float[] w = new float[n * d];
		for (int i = 0; i < w.length; i++) {
			w[i] = (i % 7) * 0.01f;
		}
		PanelMatrix m = k.pack(w, n, d);
		PanelMatrix half = k.packBf16(w, n, d); // bf16 weights (-Dlumen.engine.jvmWeights=bf16) take their own loop
		float[] x = new float[Math.max(n, d)];
		float[] out = new float[2 * d];
		float sink = 0f;
		for (int i = 0; i < CALLS; i++) {
			x[i % n] = 0.001f * i;
			k.matVec(out, x, m);
			k.matVec(out, x, half);
			k.axpy(out, 0, 0.5f, x, 0, n);
			sink += k.max(out, d);
			sink += k.expShiftSum(out, d, sink);
			k.siluGate(out, d / 2);
		}
		return sink;
	}
}
