package dev.lumen.engine.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Both kernel sets against naive double-precision loops written here, on shapes with and without panel and
 * vector tails. The tests run with {@code --add-modules jdk.incubator.vector} (root pom), so {@code best()} is
 * the SIMD set.
 */
class CpuKernelsTest {

	private static final CpuKernels[] ALL = { CpuKernels.scalar(), CpuKernels.best() };

	@Test
	void simdKernelsAreChosenWhenTheVectorModuleIsLoaded() {
		assertThat(ModuleLayer.boot().findModule("jdk.incubator.vector")).isPresent();
		assertThat(CpuKernels.best().name()).startsWith("vector-");
	}

	@ParameterizedTest
	@CsvSource({ "1, 1", "7, 5", "128, 256", "128, 704", "352, 128", "33, 129", "64, 2048", "5, 300" })
	void matVecMatchesNaiveProduct(int n, int d) {
		Random r = new Random(n * 31L + d);
		float[] w = random(r, n * d);
		float[] x = random(r, n);
		for (CpuKernels k : ALL) {
			float[] out = new float[d + 3];
			out[d] = 42f; // past d stays untouched
			k.matVec(out, x, k.pack(w, n, d));
			for (int i = 0; i < d; i++) {
				double expected = 0;
				for (int j = 0; j < n; j++) {
					expected += (double) x[j] * w[j * d + i];
				}
				assertThat((double) out[i]).as("%s out[%d]", k.name(), i).isCloseTo(expected, within(1e-5 * Math.sqrt(n)));
			}
			assertThat(out[d]).isEqualTo(42f);
		}
	}

	@ParameterizedTest
	@CsvSource({ "1, 1", "7, 5", "128, 256", "33, 129", "64, 2048", "5, 300" })
	void bf16MatVecIsTheProductOfTheRoundedWeights(int n, int d) {
		Random r = new Random(n * 17L + d);
		float[] w = random(r, n * d);
		float[] x = random(r, n);
		for (CpuKernels k : ALL) {
			float[] out = new float[d + 3];
			out[d] = 42f;
			PanelMatrix half = k.packBf16(w, n, d);
			assertThat(half.isBf16()).isTrue();
			k.matVec(out, x, half);
			for (int i = 0; i < d; i++) {
				double expected = 0;
				for (int j = 0; j < n; j++) {
					expected += (double) x[j] * Float.intBitsToFloat(PanelMatrix.toBf16(w[j * d + i]) << 16);
				}
				assertThat((double) out[i]).as("%s out[%d]", k.name(), i).isCloseTo(expected, within(1e-5 * Math.sqrt(n)));
			}
			assertThat(out[d]).isEqualTo(42f);
		}
	}

	@Test
	void bf16RoundsToNearestWithTiesToEven() {
		// 1 + 2^-8 lies halfway between bf16 neighbours 1 and 1 + 2^-7: ties go to the even one, 1
		assertThat(PanelMatrix.toBf16(1f + 0x1p-8f)).isEqualTo((short) 0x3f80);
		// 1 + 3 * 2^-8 lies halfway between 1 + 2^-7 (odd) and 1 + 2^-6 (even)
		assertThat(PanelMatrix.toBf16(1f + 3 * 0x1p-8f)).isEqualTo((short) 0x3f82);
		assertThat(PanelMatrix.toBf16(1f + 0x1p-8f + 0x1p-20f)).isEqualTo((short) 0x3f81); // above half: up
		assertThat(PanelMatrix.toBf16(-2.5f)).isEqualTo((short) 0xc020); // exactly representable
		assertThat(Float.isNaN(Float.intBitsToFloat(PanelMatrix.toBf16(Float.NaN) << 16))).isTrue();
	}

	@Test
	void axpyMaxExpAndSiluMatchScalarFormulas() {
		Random r = new Random(7);
		for (int len : new int[] { 0, 1, 15, 16, 17, 100, 256 }) {
			float[] x = random(r, len + 3);
			float[] y0 = random(r, len + 5);
			for (CpuKernels k : ALL) {
				float[] y = y0.clone();
				k.axpy(y, 2, 0.75f, x, 3, len);
				for (int i = 0; i < y.length; i++) {
					float expected = i >= 2 && i < 2 + len ? y0[i] + 0.75f * x[i + 1] : y0[i];
					assertThat(y[i]).as("%s axpy len %d at %d", k.name(), len, i).isCloseTo(expected, within(1e-6f));
				}
				float[] a = x.clone();
				float naiveMax = Float.NEGATIVE_INFINITY;
				for (int i = 0; i < len; i++) {
					naiveMax = Math.max(naiveMax, a[i]);
				}
				assertThat(k.max(a, len)).isEqualTo(naiveMax);
				float sum = k.expShiftSum(a, len, 0.5f);
				double naiveSum = 0;
				for (int i = 0; i < len; i++) {
					double e = Math.exp(x[i] - 0.5);
					naiveSum += e;
					assertThat((double) a[i]).isCloseTo(e, within(1e-6 * e));
				}
				assertThat((double) sum).isCloseTo(naiveSum, within(1e-5 * Math.max(1, naiveSum)));
				float[] h = random(r, 2 * len);
				float[] before = h.clone();
				k.siluGate(h, len);
				for (int i = 0; i < len; i++) {
					double g = before[i];
					double expected = g / (1 + Math.exp(-g)) * before[len + i];
					assertThat((double) h[i]).isCloseTo(expected, within(1e-6));
				}
			}
		}
	}

	@Test
	void matVecRejectsAMatrixPackedForOtherKernels() {
		CpuKernels simd = CpuKernels.best();
		PanelMatrix scalarPacked = CpuKernels.scalar().pack(new float[4 * 300], 4, 300);
		org.assertj.core.api.Assertions.assertThatThrownBy(() -> simd.matVec(new float[300], new float[4], scalarPacked))
				.hasMessageContaining("packed for other kernels");
	}

	private static float[] random(Random r, int n) {
		float[] a = new float[n];
		for (int i = 0; i < n; i++) {
			a[i] = (float) r.nextGaussian();
		}
		return a;
	}
}
