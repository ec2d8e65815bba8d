package dev.lumen.engine.knn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CosineNeighboursTest {

	@Test
	void blockwiseNeighboursEqualBruteForceCosinesAcrossBlockBoundaries() {
		int n = 301, d = 24, k = 7;
		float[] rows = random(n, d, 5);
		List<Integer> done = new ArrayList<>();
		CosineNeighbours.Result r = CosineNeighbours.compute(rows, n, d, k, Device.cpu(), done::add, 64);
		assertThat(done).containsExactly(64, 128, 192, 256, 301);
		for (int i = 0; i < n; i++) {
			List<double[]> expected = bruteForce(rows, n, d, i);
			for (int j = 0; j < k; j++) {
				assertThat(r.index(i, j)).as("row %d rank %d", i, j).isEqualTo((int) expected.get(j)[0]);
				assertThat((double) r.cosine(i, j)).isCloseTo(expected.get(j)[1], within(1e-5));
			}
		}
	}

	@Test
	void aRowIsNeverItsOwnNeighbourEvenWithAnExactDuplicate() {
		// rows 0 and 1 identical: each is the other's nearest with cosine 1, neither lists itself
		float[] rows = { 1, 0, 0, 1, 0, 0, 0, 1, 0, 0.6f, 0.8f, 0 };
		CosineNeighbours.Result r = CosineNeighbours.compute(rows, 4, 3, 2, Device.cpu(), x -> { });
		assertThat(r.index(0, 0)).isEqualTo(1);
		assertThat(r.index(1, 0)).isEqualTo(0);
		assertThat(r.cosine(0, 0)).isCloseTo(1f, within(1e-6f));
		assertThat(r.index(3, 0)).isEqualTo(2); // 0.8 > 0.6
		for (int i = 0; i < 4; i++) {
			assertThat(new int[] { r.index(i, 0), r.index(i, 1) }).doesNotContain(i);
		}
	}

	@Test
	void neighboursInAnotherMatrixEqualBruteForceCosines() {
		int nq = 40, nb = 90, d = 16, k = 5;
		float[] queries = random(nq, d, 8);
		float[] base = random(nb, d, 9);
		CosineNeighbours.Result r = CosineNeighbours.across(queries, nq, base, nb, d, k, "cpu");
		for (int i = 0; i < nq; i++) {
			List<double[]> all = new ArrayList<>();
			for (int j = 0; j < nb; j++) {
				double dot = 0, a = 0, b = 0;
				for (int c = 0; c < d; c++) {
					dot += queries[i * d + c] * base[j * d + c];
					a += queries[i * d + c] * queries[i * d + c];
					b += base[j * d + c] * base[j * d + c];
				}
				all.add(new double[] { j, dot / Math.sqrt(a * b) });
			}
			all.sort(Comparator.comparingDouble((double[] x) -> -x[1]));
			for (int j = 0; j < k; j++) {
				assertThat(r.index(i, j)).as("query %d rank %d", i, j).isEqualTo((int) all.get(j)[0]);
				assertThat((double) r.cosine(i, j)).isCloseTo(all.get(j)[1], within(1e-5));
			}
		}
	}

	@Test
	void refusesMoreNeighboursThanOtherRows() {
		assertThatThrownBy(() -> CosineNeighbours.compute(new float[6], 2, 3, 2, Device.cpu(), x -> { }))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("k < n");
	}

	private static List<double[]> bruteForce(float[] rows, int n, int d, int i) {
		List<double[]> all = new ArrayList<>();
		for (int j = 0; j < n; j++) {
			if (j != i) {
				double dot = 0, a = 0, b = 0;
				for (int c = 0; c < d; c++) {
					dot += rows[i * d + c] * rows[j * d + c];
					a += rows[i * d + c] * rows[i * d + c];
					b += rows[j * d + c] * rows[j * d + c];
				}
				all.add(new double[] { j, dot / Math.sqrt(a * b) });
			}
		}
		all.sort(Comparator.comparingDouble((double[] x) -> -x[1]));
		return all;
	}

	static float[] random(int n, int d, long seed) {
		Random random = new Random(seed);
		float[] rows = new float[n * d];
		for (int i = 0; i < rows.length; i++) {
			rows[i] = (float) random.nextGaussian();
		}
		return rows;
	}
}
