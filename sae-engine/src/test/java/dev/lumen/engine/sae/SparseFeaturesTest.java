package dev.lumen.engine.sae;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SparseFeaturesTest {

	@ParameterizedTest
	@EnumSource(SaeArchitecture.class)
	void sparseEncodeHoldsExactlyTheNonZerosOfTheDenseEncode(SaeArchitecture architecture) {
		SaeConfig cfg = SaeConfig.of(16, 200, architecture, architecture.needsK() ? 7 : 0, "blocks.1.hook_resid_post",
				"test");
		SaeParameters p = SaeTestData.randomParameters(cfg, 3);
		float[] x = SaeTestData.gaussian(new Random(4), 3 * 5 * 16, 1f);
		try (Sae sae = Sae.create(cfg, p, Device.cpu()); NDManager m = NDManager.newBaseManager()) {
			NDArray xs = m.create(x, new Shape(3, 5, 16)); // [batch, pos, dIn]
			float[] dense = sae.encode(xs).toFloatArray(); // [15 * 200]
			SparseFeatures s = SparseFeatures.encode(sae, xs);
			assertThat(s.tokens()).isEqualTo(15);
			int entries = 0;
			for (int t = 0; t < 15; t++) {
				float[] row = new float[200];
				for (int k = s.offsets()[t]; k < s.offsets()[t + 1]; k++) {
					assertThat(s.values()[k]).isPositive();
					if (k > s.offsets()[t]) {
						assertThat(s.features()[k]).isGreaterThan(s.features()[k - 1]);
					}
					row[s.features()[k]] = s.values()[k];
				}
				for (int f = 0; f < 200; f++) {
					float expected = dense[t * 200 + f] > 0 ? dense[t * 200 + f] : 0f;
					assertThat(row[f]).as("token %d feature %d", t, f).isEqualTo(expected);
					entries += expected > 0 ? 1 : 0;
				}
			}
			assertThat(s.entries()).isEqualTo(entries).isPositive();
			// the batch's arrays stay in the caller's manager; the sparse encode left nothing else behind
			assertThat(m.getManagedArrays()).hasSize(2);
		}
	}
}
