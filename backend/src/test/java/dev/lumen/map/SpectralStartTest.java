package dev.lumen.map;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.junit.jupiter.api.Test;

class SpectralStartTest {

	@Test
	void theStartSpansTheLaplaciansSecondAndThirdEigenvectorsAsADenseSolverFindsThem() {
		// a ring of 120 points, each linked to its 6 nearest along the ring
		FuzzyGraph graph = FuzzyGraph.of(ring(120, 6, 0.004f));
		int n = graph.n();
		double[][] w = new double[n][n];
		double[] degree = new double[n];
		for (int e = 0; e < graph.edges(); e++) {
			w[graph.heads()[e]][graph.tails()[e]] += graph.weights()[e];
			degree[graph.heads()[e]] += graph.weights()[e];
		}
		double[][] laplacian = new double[n][n];
		for (int i = 0; i < n; i++) {
			for (int j = 0; j < n; j++) {
				laplacian[i][j] = (i == j ? 1 : 0) - w[i][j] / Math.sqrt(degree[i] * degree[j]);
			}
		}
		EigenDecomposition dense = new EigenDecomposition(new Array2DRowRealMatrix(laplacian));
		double[][] expected = smallestAfterFirst(dense, 2);
		double[][] found = SpectralStart.eigenvectors(graph, new SplittableRandom(1));
		// each vector found lies in the span of the expected two (the ring's are a sine/cosine pair)
		for (double[] v : found) {
			double inSpan = 0;
			for (double[] u : expected) {
				double d = dot(v, u) / Math.sqrt(dot(v, v) * dot(u, u));
				inSpan += d * d;
			}
			assertThat(inSpan).isGreaterThan(0.999);
		}
		assertThat(Math.abs(dot(found[0], found[1]))).isLessThan(1e-6);
	}

	@Test
	void aChainStartsInChainOrderInsideTheUnitSquareTimesTen() {
		FuzzyGraph graph = FuzzyGraph.of(chain(200, 6));
		float[] xy = SpectralStart.of(graph, new SplittableRandom(3));
		// the first coordinate is the Fiedler vector: monotone along a chain (up to the flat ends), so its ranks
		// follow the chain: Spearman's rho near +-1
		Integer[] byX = new Integer[200];
		for (int i = 0; i < 200; i++) {
			byX[i] = i;
		}
		java.util.Arrays.sort(byX, (a, b) -> Float.compare(xy[2 * a], xy[2 * b]));
		double squaredRankGaps = 0;
		for (int rank = 0; rank < 200; rank++) {
			squaredRankGaps += Math.pow(rank - byX[rank], 2);
		}
		double rho = 1 - 6 * squaredRankGaps / (200.0 * (200 * 200 - 1));
		assertThat(Math.abs(rho)).isGreaterThan(0.999);
		for (float v : xy) {
			assertThat(v).isBetween(0f, 10f);
		}
	}

	@Test
	void aSeedGivesTheSameStartEveryTime() {
		FuzzyGraph graph = FuzzyGraph.of(ring(90, 6, 0.01f));
		float[] a = SpectralStart.of(graph, new SplittableRandom(7));
		float[] b = SpectralStart.of(graph, new SplittableRandom(7));
		assertThat(a).containsExactly(b);
	}

	/** Points on a line, each with its k nearest (cosine falling with the distance along the line). */
	static KnnGraph chain(int n, int k) {
		int[] ix = new int[n * k];
		float[] cos = new float[n * k];
		for (int i = 0; i < n; i++) {
			int lo = Math.max(0, Math.min(i - k / 2, n - 1 - k));
			int r = 0;
			for (int j = lo; r < k; j++) {
				if (j != i) {
					ix[i * k + r] = j;
					cos[i * k + r] = 1 - 0.01f * Math.abs(i - j);
					r++;
				}
			}
			sortByCosine(ix, cos, i, k);
		}
		return new KnnGraph(n, k, ix, cos);
	}

	/** A ring: each point's k nearest along the circle. */
	static KnnGraph ring(int n, int k, float step) {
		int[] ix = new int[n * k];
		float[] cos = new float[n * k];
		for (int i = 0; i < n; i++) {
			for (int r = 0; r < k; r++) {
				int offset = (r / 2 + 1) * (r % 2 == 0 ? 1 : -1);
				ix[i * k + r] = Math.floorMod(i + offset, n);
				cos[i * k + r] = 1 - step * Math.abs(offset);
			}
			sortByCosine(ix, cos, i, k);
		}
		return new KnnGraph(n, k, ix, cos);
	}

	private static void sortByCosine(int[] ix, float[] cos, int row, int k) {
		for (int a = 0; a < k; a++) {
			for (int b = a + 1; b < k; b++) {
				if (cos[row * k + b] > cos[row * k + a]) {
					float c = cos[row * k + a];
					cos[row * k + a] = cos[row * k + b];
					cos[row * k + b] = c;
					int t = ix[row * k + a];
					ix[row * k + a] = ix[row * k + b];
					ix[row * k + b] = t;
				}
			}
		}
	}

	private static double[][] smallestAfterFirst(EigenDecomposition eigen, int count) {
		int n = eigen.getRealEigenvalues().length;
		Integer[] order = new Integer[n];
		for (int i = 0; i < n; i++) {
			order[i] = i;
		}
		java.util.Arrays.sort(order, (a, b) -> Double.compare(eigen.getRealEigenvalue(a), eigen.getRealEigenvalue(b)));
		double[][] out = new double[count][];
		for (int c = 0; c < count; c++) {
			out[c] = eigen.getEigenvector(order[c + 1]).toArray();
		}
		return out;
	}

	private static double dot(double[] a, double[] b) {
		double s = 0;
		for (int i = 0; i < a.length; i++) {
			s += a[i] * b[i];
		}
		return s;
	}
}
