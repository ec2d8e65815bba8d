package dev.lumen.map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FuzzyGraphTest {

	@Test
	void edgesAreListedInBothDirectionsWithOneWeightInZeroToOne() {
		int n = 120, d = 12, k = 10;
		KnnGraph knn = MapTestData.knn(MapTestData.blobs(3, 40, d, 0.5, 1), n, d, k);
		FuzzyGraph g = FuzzyGraph.of(knn);
		Map<Long, Float> weights = new HashMap<>();
		for (int e = 0; e < g.edges(); e++) {
			weights.put((long) g.heads()[e] * n + g.tails()[e], g.weights()[e]);
		}
		for (int e = 0; e < g.edges(); e++) {
			// symmetric: every edge is listed in both directions with the same weight
			assertThat(weights.get((long) g.tails()[e] * n + g.heads()[e])).isEqualTo(g.weights()[e]);
			assertThat(g.weights()[e]).isBetween(0f, 1f);
		}
	}

	@Test
	void membershipsFollowUmapsSmoothKnnDistance() {
		// point 0 at cosine distances 0.1, 0.2, 0.4 from 1, 2, 3, which are close to each other and list 0 last
		int[] ix = { 1, 2, 3, 2, 3, 0, 1, 3, 0, 1, 2, 0 };
		float[] cos = { 0.9f, 0.8f, 0.6f, 0.99f, 0.98f, 0.1f, 0.99f, 0.98f, 0.1f, 0.99f, 0.98f, 0.1f };
		KnnGraph knn = new KnnGraph(4, 3, ix, cos);
		FuzzyGraph g = FuzzyGraph.of(knn);
		double rho = 0.1, target = 2; // log2(k + 1), k = 3
		// sigma solves 1 + exp(-(0.2 - rho) / s) + exp(-(0.4 - rho) / s) = 2
		double lo = 1e-6, hi = 10;
		for (int i = 0; i < 100; i++) {
			double s = (lo + hi) / 2;
			double sum = 1 + Math.exp(-(0.2 - rho) / s) + Math.exp(-(0.4 - rho) / s);
			if (sum > target) {
				hi = s;
			}
			else {
				lo = s;
			}
		}
		double sigma = (lo + hi) / 2;
		double a = Math.exp(-(0.2 - rho) / sigma); // 0 -> 2
		double b = membership(knn, 2, 0); // 2 -> 0, from 2's own smoothing
		assertThat((double) weight(g, 0, 2)).isCloseTo(a + b - a * b, within(1e-4));
		assertThat(weight(g, 0, 1)).isCloseTo(1f, within(1e-6f)); // the nearest neighbour always has membership 1
	}

	private static double membership(KnnGraph knn, int row, int to) {
		// row 2's distances: 0.01 (to 1), 0.02 (to 3), 0.9 (to 0)
		double rho = 0.01, target = 2;
		double lo = 1e-9, hi = 10;
		for (int i = 0; i < 200; i++) {
			double s = (lo + hi) / 2;
			double sum = 1 + Math.exp(-(0.02 - rho) / s) + Math.exp(-(0.9 - rho) / s);
			if (sum > target) {
				hi = s;
			}
			else {
				lo = s;
			}
		}
		return Math.exp(-(0.9 - rho) / ((lo + hi) / 2));
	}

	private static float weight(FuzzyGraph g, int from, int to) {
		for (int e = 0; e < g.edges(); e++) {
			if (g.heads()[e] == from && g.tails()[e] == to) {
				return g.weights()[e];
			}
		}
		return 0;
	}
}
