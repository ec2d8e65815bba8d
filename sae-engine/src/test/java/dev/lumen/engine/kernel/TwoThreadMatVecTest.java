package dev.lumen.engine.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class TwoThreadMatVecTest {

	@Test
	void splitProductEqualsTheSingleThreadProductBitForBit() throws InterruptedException {
		CpuKernels k = CpuKernels.best();
		Random r = new Random(2);
		int[][] shapes = { { 128, 256 }, { 128, 704 }, { 352, 128 }, { 64, 2048 }, { 9, 1000 } };
		try (TwoThreadMatVec split = new TwoThreadMatVec(k)) {
			for (int round = 0; round < 3; round++) {
				for (int[] shape : shapes) {
					int n = shape[0];
					int d = shape[1];
					float[] w = new float[n * d];
					float[] x = new float[n];
					for (int i = 0; i < w.length; i++) {
						w[i] = (float) r.nextGaussian();
					}
					for (int i = 0; i < n; i++) {
						x[i] = (float) r.nextGaussian();
					}
					PanelMatrix packed = k.pack(w, n, d);
					float[] single = new float[d];
					float[] shared = new float[d];
					k.matVec(single, x, packed);
					split.matVec(shared, x, packed);
					assertThat(shared).as("%d x %d", n, d).containsExactly(single);
				}
				// long enough for the idle helper to park: the next product must wake it
				Thread.sleep(50);
			}
		}
	}
}
