package dev.lumen.engine.sae;

import java.util.Random;

/** Random SAE weights and inputs for tests. */
final class SaeTestData {

	private SaeTestData() {
	}

	static SaeParameters randomParameters(SaeConfig cfg, long seed) {
		Random r = new Random(seed);
		int dIn = cfg.dIn();
		int dSae = cfg.dSae();
		float[] threshold = null;
		if (cfg.architecture() == SaeArchitecture.JUMPRELU || cfg.architecture() == SaeArchitecture.BATCHTOPK) {
			threshold = gaussian(r, dSae, 0.2f);
			for (int i = 0; i < dSae; i++) {
				threshold[i] = Math.abs(threshold[i]);
			}
		}
		return new SaeParameters(gaussian(r, dIn * dSae, 0.5f), gaussian(r, dSae, 0.3f), gaussian(r, dSae * dIn, 0.5f),
				gaussian(r, dIn, 0.3f), threshold);
	}

	static float[] gaussian(Random r, int n, float std) {
		float[] a = new float[n];
		for (int i = 0; i < n; i++) {
			a[i] = (float) r.nextGaussian() * std;
		}
		return a;
	}
}
