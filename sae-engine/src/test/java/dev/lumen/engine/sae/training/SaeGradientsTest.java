package dev.lumen.engine.sae.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SaeGradientsTest {

	@Test
	void oneStepLossAndGradientsMatchHandComputedValues() {
		try (NDManager m = NDManager.newBaseManager()) {
			NDArray x = m.create(new float[] { 1, 2 }, new Shape(1, 2));
			NDList params = new NDList(m.create(new float[] { 1, -1, 0.5f, 1 }, new Shape(2, 2)),
					m.create(new float[] { 0, -2 }), m.create(new float[] { 0.6f, 0.8f, 1, 0 }, new Shape(2, 2)),
					m.create(new float[] { 0, 0.5f }));
			SaeGradients.Result r = SaeGradients.compute(m, x, params, 0.5, 0);
			// pre = x·W_enc + b_enc = [2, 1] + [0, -2] = [2, -1], so feature 1 is off: f = [2, 0]
			// x̂ = 2·[0.6, 0.8] + [0, 0.5] = [1.2, 2.1]; e = [0.2, 0.1]; ‖e‖² = 0.05
			assertThat(r.mse()).isCloseTo(0.05, within(1e-6));
			// sparsity = f0·‖W_dec,0‖ = 2·1; loss = 0.05 + 0.5·2
			assertThat(r.sparsity()).isCloseTo(2.0, within(1e-6));
			assertThat(r.loss()).isCloseTo(1.05, within(1e-6));
			assertThat(r.l0()).isCloseTo(1.0, within(1e-9));
			assertThat(r.firedCount()).containsExactly(1f, 0f);
			// ∂L/∂x̂ = 2e = [0.4, 0.2]; ∂L/∂f = [0.4·0.6 + 0.2·0.8, 0.4] + λ = [0.9, 0.9]; ∂L/∂pre = [0.9, 0]
			float[] gWEnc = r.gradients().get(0).toFloatArray();
			assertThat(gWEnc).containsExactly(new float[] { 0.9f, 0, 1.8f, 0 }, within(1e-6f));
			assertThat(r.gradients().get(1).toFloatArray()).containsExactly(new float[] { 0.9f, 0 }, within(1e-6f));
			// ∂L/∂W_dec,0 = f0·[0.4, 0.2] + λ·f0·W_dec,0/‖W_dec,0‖ = [0.8, 0.4] + [0.6, 0.8]; row 1 inactive
			assertThat(r.gradients().get(2).toFloatArray()).containsExactly(new float[] { 1.4f, 1.2f, 0, 0 },
					within(1e-6f));
			assertThat(r.gradients().get(3).toFloatArray()).containsExactly(new float[] { 0.4f, 0.2f }, within(1e-6f));
		}
	}

	@Test
	void gradientsMatchFiniteDifferencesOfAScalarLoss() {
		int n = 5;
		int dIn = 4;
		int dSae = 7;
		double l1 = 0.3;
		Random r = new Random(1);
		double[][] p = { gaussian(r, dIn * dSae), gaussian(r, dSae), gaussian(r, dSae * dIn), gaussian(r, dIn) };
		double[] x = gaussian(r, n * dIn);
		for (int topK : new int[] { 0, 3 }) {
			try (NDManager m = NDManager.newBaseManager()) {
				NDList params = new NDList(m.create(toFloat(p[0]), new Shape(dIn, dSae)), m.create(toFloat(p[1])),
						m.create(toFloat(p[2]), new Shape(dSae, dIn)), m.create(toFloat(p[3])));
				double lambda = topK > 0 ? 0 : l1;
				SaeGradients.Result res = SaeGradients.compute(m, m.create(toFloat(x), new Shape(n, dIn)), params, lambda, topK);
				assertThat(res.loss()).isCloseTo(scalarLoss(p, x, n, dIn, dSae, lambda, topK), within(1e-4));
				for (int t = 0; t < 4; t++) {
					float[] g = res.gradients().get(t).toFloatArray();
					for (int i = 0; i < p[t].length; i++) {
						double keep = p[t][i];
						double h = 1e-5;
						p[t][i] = keep + h;
						double up = scalarLoss(p, x, n, dIn, dSae, lambda, topK);
						p[t][i] = keep - h;
						double down = scalarLoss(p, x, n, dIn, dSae, lambda, topK);
						p[t][i] = keep;
						assertThat((double) g[i]).as("topK=%d tensor %d index %d", topK, t, i)
							.isCloseTo((up - down) / (2 * h), within(2e-3));
					}
				}
			}
		}
	}

	/** (1/n) Σ‖x − x̂‖² + (λ/n) Σ fᵢ‖W_dec,i‖ in double precision, loop by loop. */
	private static double scalarLoss(double[][] p, double[] x, int n, int dIn, int dSae, double l1, int topK) {
		double[] wEnc = p[0], bEnc = p[1], wDec = p[2], bDec = p[3];
		double total = 0;
		for (int t = 0; t < n; t++) {
			double[] f = new double[dSae];
			for (int j = 0; j < dSae; j++) {
				double s = bEnc[j];
				for (int i = 0; i < dIn; i++) {
					s += x[t * dIn + i] * wEnc[i * dSae + j];
				}
				f[j] = s;
			}
			if (topK > 0) {
				double[] sorted = f.clone();
				java.util.Arrays.sort(sorted);
				double kth = sorted[dSae - topK];
				for (int j = 0; j < dSae; j++) {
					f[j] = f[j] >= kth ? Math.max(0, f[j]) : 0;
				}
			}
			else {
				for (int j = 0; j < dSae; j++) {
					f[j] = Math.max(0, f[j]);
				}
			}
			for (int i = 0; i < dIn; i++) {
				double xHat = bDec[i];
				for (int j = 0; j < dSae; j++) {
					xHat += f[j] * wDec[j * dIn + i];
				}
				total += (xHat - x[t * dIn + i]) * (xHat - x[t * dIn + i]);
			}
			for (int j = 0; j < dSae; j++) {
				double norm = 0;
				for (int i = 0; i < dIn; i++) {
					norm += wDec[j * dIn + i] * wDec[j * dIn + i];
				}
				total += l1 * f[j] * Math.sqrt(norm);
			}
		}
		return total / n;
	}

	private static double[] gaussian(Random r, int n) {
		double[] a = new double[n];
		for (int i = 0; i < n; i++) {
			a[i] = r.nextGaussian();
		}
		return a;
	}

	private static float[] toFloat(double[] a) {
		float[] f = new float[a.length];
		for (int i = 0; i < a.length; i++) {
			f[i] = (float) a[i];
		}
		return f;
	}
}
