package dev.lumen.engine.sae.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.lumen.engine.sae.Sae;

/** Accumulates reconstruction metrics over batches of activations (in double precision on the host). */
final class ReconstructionStats {

	private final int dIn;

	private final double[] fired; // [dSae]

	private final double[] sum; // [dIn]

	private double sumSq;

	private double sumErrSq;

	private double sumL0;

	private long tokens;

	ReconstructionStats(int dIn, int dSae) {
		this.dIn = dIn;
		this.fired = new double[dSae];
		this.sum = new double[dIn];
	}

	/**
	 * Adds a batch.
	 * @param sae the SAE
	 * @param x activations, [n, dIn]
	 */
	void add(Sae sae, NDArray x) {
		NDArray f = sae.encode(x); // [n, dSae]
		NDArray err = sae.decode(f).subi(x); // [n, dIn]
		NDArray active = f.gt(0f).toType(DataType.FLOAT32, false);
		float[] firedNow = active.sum(new int[] { 0 }).toFloatArray();
		for (int i = 0; i < firedNow.length; i++) {
			this.fired[i] += firedNow[i];
		}
		float[] xs = x.toFloatArray();
		for (int i = 0; i < xs.length; i++) {
			this.sum[i % this.dIn] += xs[i];
			this.sumSq += (double) xs[i] * xs[i];
		}
		this.sumErrSq += err.square().sum().getFloat();
		this.sumL0 += active.sum().getFloat();
		this.tokens += x.getShape().get(0);
	}

	long tokens() {
		return this.tokens;
	}

	double l0() {
		return this.sumL0 / this.tokens;
	}

	double mse() {
		return this.sumErrSq / ((double) this.tokens * this.dIn);
	}

	/** @return Σ‖x − x̂‖² / Σ‖x − x̄‖² */
	double fvu() {
		double meanSq = 0;
		for (double s : this.sum) {
			meanSq += (s / this.tokens) * (s / this.tokens);
		}
		double totalVariance = this.sumSq - this.tokens * meanSq;
		return this.sumErrSq / totalVariance;
	}

	float[] density() {
		float[] d = new float[this.fired.length];
		for (int i = 0; i < d.length; i++) {
			d[i] = (float) (this.fired[i] / this.tokens);
		}
		return d;
	}
}
