package dev.lumen.engine.sae;

import java.util.Arrays;

/** An independent, loop-by-loop SAE forward pass used as the reference in tests. */
final class ScalarSae {

	private ScalarSae() {
	}

	/** @return feature activations of one token x [dIn] */
	static float[] encode(SaeConfig cfg, SaeParameters p, float[] x) {
		int dIn = cfg.dIn();
		int dSae = cfg.dSae();
		double[] pre = new double[dSae];
		for (int j = 0; j < dSae; j++) {
			double s = p.bEnc()[j];
			for (int i = 0; i < dIn; i++) {
				double xi = x[i] - (cfg.applyBDecToInput() ? p.bDec()[i] : 0);
				s += xi * p.wEnc()[i * dSae + j];
			}
			pre[j] = s;
		}
		float[] f = new float[dSae];
		switch (cfg.architecture()) {
			case STANDARD -> {
				for (int j = 0; j < dSae; j++) {
					f[j] = (float) Math.max(0, pre[j]);
				}
			}
			case JUMPRELU, BATCHTOPK -> {
				for (int j = 0; j < dSae; j++) {
					f[j] = pre[j] > p.threshold()[j] ? (float) Math.max(0, pre[j]) : 0f;
				}
			}
			case TOPK -> {
				double[] sorted = pre.clone();
				Arrays.sort(sorted);
				double kth = sorted[dSae - cfg.k()];
				for (int j = 0; j < dSae; j++) {
					boolean above = p.threshold() == null || pre[j] > p.threshold()[j];
					f[j] = pre[j] >= kth && above ? (float) Math.max(0, pre[j]) : 0f;
				}
			}
		}
		return f;
	}

	/** @return reconstruction of one token from f [dSae] */
	static float[] decode(SaeConfig cfg, SaeParameters p, float[] f) {
		float[] out = new float[cfg.dIn()];
		for (int i = 0; i < cfg.dIn(); i++) {
			double s = p.bDec()[i];
			for (int j = 0; j < cfg.dSae(); j++) {
				s += f[j] * p.wDec()[j * cfg.dIn() + i];
			}
			out[i] = (float) s;
		}
		return out;
	}
}
