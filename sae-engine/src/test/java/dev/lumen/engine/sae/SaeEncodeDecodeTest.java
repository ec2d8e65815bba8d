package dev.lumen.engine.sae;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class SaeEncodeDecodeTest {

	private static final int D_IN = 6;

	private static final int D_SAE = 20;

	private static final int TOKENS = 2 * 3;

	static SaeConfig config(SaeArchitecture a, boolean applyBDec) {
		return SaeConfig.of(D_IN, D_SAE, a, a.needsK() ? 4 : 0, "blocks.1.hook_resid_post", "test")
			.withApplyBDecToInput(applyBDec);
	}

	@ParameterizedTest
	@EnumSource(SaeArchitecture.class)
	void encodeAndDecodeMatchScalarReference(SaeArchitecture architecture) {
		for (boolean applyBDec : new boolean[] { true, false }) {
			SaeConfig cfg = config(architecture, applyBDec);
			SaeParameters p = SaeTestData.randomParameters(cfg, 7);
			float[] x = SaeTestData.gaussian(new Random(11), TOKENS * D_IN, 1f);
			try (Sae sae = Sae.create(cfg, p, Device.cpu()); NDManager m = NDManager.newBaseManager()) {
				NDArray xs = m.create(x, new Shape(2, 3, D_IN)); // [batch, pos, dIn]
				NDArray f = sae.encode(xs);
				assertThat(f.getShape()).isEqualTo(new Shape(2, 3, D_SAE));
				assertThat(f.getManager()).isSameAs(m);
				float[] fHost = f.toFloatArray();
				float[] xHat = sae.decode(f).toFloatArray();
				float[] forward = sae.forward(xs).toFloatArray();
				for (int t = 0; t < TOKENS; t++) {
					float[] xt = Arrays.copyOfRange(x, t * D_IN, (t + 1) * D_IN);
					float[] fRef = ScalarSae.encode(cfg, p, xt);
					float[] fGot = Arrays.copyOfRange(fHost, t * D_SAE, (t + 1) * D_SAE);
					for (int j = 0; j < D_SAE; j++) {
						assertThat(fGot[j]).as("%s token %d feature %d", architecture, t, j).isCloseTo(fRef[j], within(1e-4f));
					}
					float[] xRef = ScalarSae.decode(cfg, p, fGot);
					for (int i = 0; i < D_IN; i++) {
						assertThat(xHat[t * D_IN + i]).isCloseTo(xRef[i], within(1e-4f));
						assertThat(forward[t * D_IN + i]).isCloseTo(xRef[i], within(1e-4f));
					}
				}
				if (architecture.needsK()) {
					// at most k features per token survive
					for (int t = 0; t < TOKENS; t++) {
						long active = Arrays.stream(box(fHost, t * D_SAE, D_SAE)).filter(v -> v > 0).count();
						assertThat(active).isLessThanOrEqualTo(cfg.k());
					}
				}
			}
		}
	}

	@ParameterizedTest
	@EnumSource(SaeArchitecture.class)
	void hostEncodeMatchesScalarReference(SaeArchitecture architecture) {
		// wider than the other tests, so the SIMD product has whole panels and a tail
		SaeConfig cfg = SaeConfig.of(128, 300, architecture, architecture.needsK() ? 8 : 0, "blocks.1.hook_resid_post", "test");
		SaeParameters p = SaeTestData.randomParameters(cfg, 5);
		try (Sae sae = Sae.create(cfg, p, Device.cpu())) {
			Random r = new Random(3);
			for (int t = 0; t < 5; t++) {
				float[] x = SaeTestData.gaussian(r, 128, 1f);
				float[] f = new float[300];
				sae.encodeInto(x, f);
				float[] ref = ScalarSae.encode(cfg, p, x);
				for (int j = 0; j < 300; j++) {
					assertThat(f[j]).as("%s vector %d feature %d", architecture, t, j).isCloseTo(ref[j], within(1e-4f));
				}
				assertThat(Arrays.stream(box(f, 0, 300)).filter(v -> v > 0).count()).as("%s active", architecture).isPositive();
			}
			assertThatThrownBy(() -> sae.encodeInto(new float[127], new float[300])).hasMessageContaining("[128] and [300]");
		}
	}

	private static double[] box(float[] a, int from, int n) {
		double[] d = new double[n];
		for (int i = 0; i < n; i++) {
			d[i] = a[from + i];
		}
		return d;
	}

	@Test
	void decoderVectorIsTheFeaturesRowOfWDec() {
		SaeConfig cfg = config(SaeArchitecture.STANDARD, true);
		SaeParameters p = SaeTestData.randomParameters(cfg, 3);
		try (Sae sae = Sae.create(cfg, p, Device.cpu()); NDManager m = NDManager.newBaseManager()) {
			assertThat(sae.decoderVector(5)).containsExactly(Arrays.copyOfRange(p.wDec(), 5 * D_IN, 6 * D_IN));
			assertThat(sae.decoderRow(5, m).toFloatArray()).containsExactly(sae.decoderVector(5));
			assertThatThrownBy(() -> sae.decoderVector(D_SAE)).hasMessageContaining("outside [0, 20)");
		}
	}

	@Test
	void wrongInputWidthNamesExpectedShape() {
		SaeConfig cfg = config(SaeArchitecture.STANDARD, true);
		try (Sae sae = Sae.create(cfg, SaeTestData.randomParameters(cfg, 3), Device.cpu());
				NDManager m = NDManager.newBaseManager()) {
			assertThatThrownBy(() -> sae.encode(m.zeros(new Shape(3, 5))))
				.hasMessageContaining("(3, 5)")
				.hasMessageContaining("[..., 6]");
		}
	}

	@Test
	void foldingInputScalingGivesTheSameFunctionOfRawInputs() {
		SaeConfig cfg = config(SaeArchitecture.JUMPRELU, true);
		SaeParameters p = SaeTestData.randomParameters(cfg, 5);
		float s = 0.37f;
		float[] x = SaeTestData.gaussian(new Random(2), D_IN, 3f);
		float[] xScaled = x.clone();
		for (int i = 0; i < D_IN; i++) {
			xScaled[i] *= s;
		}
		SaeParameters folded = p.foldInputScaling(s);
		float[] fTrained = ScalarSae.encode(cfg, p, xScaled);
		float[] fFolded = ScalarSae.encode(cfg, folded, x);
		assertThat(fFolded).containsExactly(fTrained, within(1e-4f));
		float[] xHatTrained = ScalarSae.decode(cfg, p, fTrained);
		float[] xHatFolded = ScalarSae.decode(cfg, folded, fFolded);
		for (int i = 0; i < D_IN; i++) {
			assertThat(xHatFolded[i]).isCloseTo(xHatTrained[i] / s, within(1e-3f));
		}
	}
}
