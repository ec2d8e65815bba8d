package dev.lumen.engine.sae.training;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.lumen.engine.sae.SaeArchitecture;
import dev.lumen.engine.sae.SaeConfig;
import java.util.Arrays;
import java.util.Locale;

/**
 * Benchmark of SAE training throughput (run by {@code scripts/bench-sae-train.sh}): times optimiser steps on
 * fixed batches and a plain DJL matmul of the same sizes in the same process, and reports tokens/s, achieved
 * FLOP/s and their ratio to the measured matmul FLOP/s. Arguments: {@code dIn dSae batch steps [architecture k]}.
 */
public final class SaeTrainBenchmark {

	private SaeTrainBenchmark() {
	}

	/** Runs the benchmark and prints one result line per measurement. */
	public static void main(String[] args) {
		int dIn = args.length > 0 ? Integer.parseInt(args[0]) : 128;
		int dSae = args.length > 1 ? Integer.parseInt(args[1]) : 1024;
		int batch = args.length > 2 ? Integer.parseInt(args[2]) : 4096;
		int steps = args.length > 3 ? Integer.parseInt(args[3]) : 40;
		SaeArchitecture arch = args.length > 4 ? SaeArchitecture.fromId(args[4]) : SaeArchitecture.STANDARD;
		int k = args.length > 5 ? Integer.parseInt(args[5]) : 32;
		// forward x·W_enc and f·W_dec, backward three more products of the same size: 5 matmuls of 2·n·dIn·dSae
		double flopsPerStep = 10.0 * batch * dIn * dSae;
		double matmul = matmulFlops(batch, dIn, dSae, steps);
		double stepSeconds = stepSeconds(dIn, dSae, batch, steps, arch, k);
		double achieved = flopsPerStep / stepSeconds;
		double[] grads = gradientSeconds(dIn, dSae, batch, steps);
		System.out.printf(Locale.ROOT, "matmul [%d,%d]x[%d,%d]: %.1f GFLOP/s (median of %d)%n", batch, dIn, dIn, dSae,
				matmul / 1e9, steps);
		System.out.printf(Locale.ROOT,
				"sae train step %s dIn=%d dSae=%d batch=%d: %.1f ms/step, %.0f tokens/s, %.1f GFLOP/s = %.0f%% of matmul%n",
				arch.id(), dIn, dSae, batch, stepSeconds * 1e3, batch / stepSeconds, achieved / 1e9, 100 * achieved / matmul);
		System.out.printf(Locale.ROOT, "loss + gradients (standard): hand-written %.1f ms, DJL autograd %.1f ms%n",
				grads[0] * 1e3, grads[1] * 1e3);
	}

	/** @return median FLOP/s of {@code [batch, dIn] x [dIn, dSae]} products */
	static double matmulFlops(int batch, int dIn, int dSae, int reps) {
		double[] t = new double[reps];
		try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
			NDArray x = m.randomNormal(new Shape(batch, dIn));
			NDArray w = m.randomNormal(new Shape(dIn, dSae));
			for (int i = 0; i < reps + 5; i++) {
				long t0 = System.nanoTime();
				try (NDArray y = x.matMul(w)) {
					y.toFloatArray();
				}
				if (i >= 5) {
					t[i - 5] = (System.nanoTime() - t0) / 1e9;
				}
			}
		}
		return 2.0 * batch * dIn * dSae / median(t);
	}

	/** @return median seconds per optimiser step on synthetic sparse activations */
	static double stepSeconds(int dIn, int dSae, int batch, int steps, SaeArchitecture arch, int k) {
		SyntheticSparseSource source = new SyntheticSparseSource(dIn, 4 * dIn, 16, 1);
		float[][] batches = new float[4][];
		for (int i = 0; i < batches.length; i++) {
			batches[i] = source.nextBatch(batch);
		}
		TrainSaeOptions options = TrainSaeOptions.defaults(dSae, (long) batch * (steps + 5))
			.withArchitecture(arch, arch == SaeArchitecture.TOPK ? k : 0)
			.withBudget(batch, (long) batch * (steps + 5), 1);
		SaeConfig hook = SaeConfig.of(dIn, 1, SaeArchitecture.STANDARD, 0, "blocks.0.hook_resid_post", "benchmark");
		double[] t = new double[steps];
		try (SaeTrainer trainer = SaeTrainer.create(hook, options, 1.0, new float[dIn], Device.cpu())) {
			for (int i = 0; i < steps + 5; i++) {
				long t0 = System.nanoTime();
				trainer.step(batches[i % batches.length]);
				if (i >= 5) {
					t[i - 5] = (System.nanoTime() - t0) / 1e9;
				}
			}
		}
		return median(t);
	}

	/** @return median seconds for loss and gradients of one batch: {hand-written, DJL autograd} */
	static double[] gradientSeconds(int dIn, int dSae, int batch, int reps) {
		double[] hand = new double[reps];
		double[] auto = new double[reps];
		float[] xs = new SyntheticSparseSource(dIn, 4 * dIn, 16, 2).nextBatch(batch);
		try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
			NDList params = new NDList(m.randomNormal(0, 0.1f, new Shape(dIn, dSae), DataType.FLOAT32),
					m.zeros(new Shape(dSae)), m.randomNormal(0, 0.1f, new Shape(dSae, dIn), DataType.FLOAT32),
					m.zeros(new Shape(dIn)));
			NDArray x = m.create(xs, new Shape(batch, dIn));
			for (int i = 0; i < reps + 3; i++) {
				long t0 = System.nanoTime();
				try (NDManager s = m.newSubManager()) {
					params.forEach(p -> p.tempAttach(s));
					x.tempAttach(s);
					SaeGradients.compute(s, x, params, 5.0, 0).gradients().get(0).toFloatArray();
				}
				if (i >= 3) {
					hand[i - 3] = (System.nanoTime() - t0) / 1e9;
				}
			}
			params.forEach(p -> p.setRequiresGradient(true));
			for (int i = 0; i < reps + 3; i++) {
				long t0 = System.nanoTime();
				try (NDManager s = m.newSubManager(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
					params.forEach(p -> p.tempAttach(s));
					x.tempAttach(s);
					gc.zeroGradients();
					// the same loss as SaeGradients, left to autograd
					NDArray f = x.matMul(params.get(0)).add(params.get(1)).maximum(0f);
					NDArray err = f.matMul(params.get(2)).add(params.get(3)).sub(x);
					NDArray penalty = f.sum(new int[] { 0 }).mul(params.get(2).norm(new int[] { 1 })).sum();
					gc.backward(err.square().sum().add(penalty.mul(5.0f)).div(batch));
					params.get(0).getGradient().toFloatArray();
				}
				if (i >= 3) {
					auto[i - 3] = (System.nanoTime() - t0) / 1e9;
				}
			}
		}
		return new double[] { median(hand), median(auto) };
	}

	private static double median(double[] a) {
		double[] s = a.clone();
		Arrays.sort(s);
		return s[s.length / 2];
	}
}
