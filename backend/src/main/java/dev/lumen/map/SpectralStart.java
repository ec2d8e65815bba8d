package dev.lumen.map;

import java.util.SplittableRandom;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;

/**
 * UMAP's default starting layout ({@code umap-learn}'s {@code init='spectral'}, {@code spectral_layout}): the
 * eigenvectors of the fuzzy graph's normalised Laplacian {@code L = I - D^-1/2 W D^-1/2} for its 2nd and 3rd
 * smallest eigenvalues, scaled so the largest coordinate is 10, with Gaussian noise of 1e-4, then stretched to
 * [0, 10] on each axis. Groups that the graph keeps apart start apart, so the SGD refines a layout that already
 * has the graph's global structure instead of untangling a random cloud.
 *
 * <p>umap-learn asks ARPACK for the smallest eigenvalues of {@code L}. Here the same vectors are the largest of
 * {@code S = (I + D^-1/2 W D^-1/2) / 2} (eigenvalues in [0, 1]) after the trivial one, {@code D^1/2 1}, is
 * projected out: block power iteration on {@code S} with {@value #BLOCK} seeded random vectors, re-orthonormalised
 * every step, until the block's Rayleigh quotients move less than {@value #TOLERANCE} (at most
 * {@value #MAX_ITERATIONS} steps), then Rayleigh-Ritz picks the two leading directions of the block. Each step
 * costs one pass over the edges per vector, and every step is deterministic, so a seed gives the same start.
 * A graph of several components (which umap-learn lays out component by component) starts with each component
 * drawn together near one point; the SGD then spreads it.
 */
final class SpectralStart {

	/** Vectors iterated together: 2 wanted plus extra ones, which speed up convergence of the leading two. */
	static final int BLOCK = 6;

	static final int MAX_ITERATIONS = 300;

	static final double TOLERANCE = 1e-7;

	private SpectralStart() {
	}

	/**
	 * @return {@code [n * 2]} starting positions in [0, 10]²
	 */
	static float[] of(FuzzyGraph graph, SplittableRandom random) {
		return scaled(eigenvectors(graph, random), graph.n(), random);
	}

	/**
	 * @return {@code [2][n]} orthonormal vectors spanning the normalised Laplacian's eigenvectors for its 2nd and
	 *     3rd smallest eigenvalues
	 */
	static double[][] eigenvectors(FuzzyGraph graph, SplittableRandom random) {
		int n = graph.n();
		double[] invSqrtDegree = new double[n];
		for (int e = 0; e < graph.edges(); e++) {
			invSqrtDegree[graph.heads()[e]] += graph.weights()[e];
		}
		double[] trivial = new double[n]; // D^1/2 1, normalised: S's eigenvector for eigenvalue 1
		for (int i = 0; i < n; i++) {
			trivial[i] = Math.sqrt(invSqrtDegree[i]);
			invSqrtDegree[i] = invSqrtDegree[i] > 0 ? 1 / Math.sqrt(invSqrtDegree[i]) : 0;
		}
		normalise(trivial);
		int p = Math.min(BLOCK, n - 1);
		double[][] block = new double[p][n];
		for (double[] v : block) {
			for (int i = 0; i < n; i++) {
				v[i] = random.nextDouble() - 0.5;
			}
		}
		orthonormalise(block, trivial, random);
		double[] previous = new double[p];
		for (int iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
			double[] quotients = new double[p];
			for (int j = 0; j < p; j++) {
				double[] next = multiply(graph, invSqrtDegree, block[j]);
				quotients[j] = dot(next, block[j]);
				block[j] = next;
			}
			orthonormalise(block, trivial, random);
			double change = 0;
			for (int j = 0; j < p; j++) {
				change = Math.max(change, Math.abs(quotients[j] - previous[j]));
			}
			previous = quotients;
			if (change < TOLERANCE) {
				break;
			}
		}
		return leadingTwo(graph, invSqrtDegree, block);
	}

	/** @return {@code S v = (v + D^-1/2 W D^-1/2 v) / 2} */
	private static double[] multiply(FuzzyGraph graph, double[] invSqrtDegree, double[] v) {
		double[] out = new double[v.length];
		int[] heads = graph.heads(), tails = graph.tails();
		float[] weights = graph.weights();
		for (int e = 0; e < heads.length; e++) {
			int i = heads[e], j = tails[e];
			out[i] += weights[e] * invSqrtDegree[i] * invSqrtDegree[j] * v[j];
		}
		for (int i = 0; i < out.length; i++) {
			out[i] = (out[i] + v[i]) / 2;
		}
		return out;
	}

	/** Rayleigh-Ritz on the block: the two directions within it along which {@code S} is largest. */
	private static double[][] leadingTwo(FuzzyGraph graph, double[] invSqrtDegree, double[][] block) {
		int p = block.length;
		double[][] sBlock = new double[p][];
		for (int j = 0; j < p; j++) {
			sBlock[j] = multiply(graph, invSqrtDegree, block[j]);
		}
		double[][] h = new double[p][p]; // block^T S block
		for (int a = 0; a < p; a++) {
			for (int b = a; b < p; b++) {
				h[a][b] = h[b][a] = (dot(block[a], sBlock[b]) + dot(block[b], sBlock[a])) / 2;
			}
		}
		EigenDecomposition eigen = new EigenDecomposition(new Array2DRowRealMatrix(h, false));
		Integer[] order = new Integer[p];
		for (int j = 0; j < p; j++) {
			order[j] = j;
		}
		java.util.Arrays.sort(order, (x, y) -> Double.compare(eigen.getRealEigenvalue(y), eigen.getRealEigenvalue(x)));
		int n = block[0].length;
		double[][] out = new double[2][n];
		for (int c = 0; c < Math.min(2, p); c++) {
			double[] coefficients = eigen.getEigenvector(order[c]).toArray();
			// a fixed sign (largest entry positive), so the start does not depend on the solver's choice
			for (int j = 0; j < p; j++) {
				for (int i = 0; i < n; i++) {
					out[c][i] += coefficients[j] * block[j][i];
				}
			}
			int largest = 0;
			for (int i = 1; i < n; i++) {
				largest = Math.abs(out[c][i]) > Math.abs(out[c][largest]) ? i : largest;
			}
			if (out[c][largest] < 0) {
				for (int i = 0; i < n; i++) {
					out[c][i] = -out[c][i];
				}
			}
		}
		return out;
	}

	/** umap-learn: expand so the largest coordinate is 10, add N(0, 1e-4) noise, stretch each axis to [0, 10]. */
	private static float[] scaled(double[][] vectors, int n, SplittableRandom random) {
		double max = 0;
		for (double[] v : vectors) {
			for (double x : v) {
				max = Math.max(max, Math.abs(x));
			}
		}
		double expansion = max > 0 ? 10 / max : 1;
		float[] xy = new float[2 * n];
		for (int i = 0; i < n; i++) {
			for (int c = 0; c < 2; c++) {
				xy[2 * i + c] = (float) (vectors[c][i] * expansion + 1e-4 * gaussian(random));
			}
		}
		for (int c = 0; c < 2; c++) {
			float lo = Float.MAX_VALUE, hi = -Float.MAX_VALUE;
			for (int i = 0; i < n; i++) {
				lo = Math.min(lo, xy[2 * i + c]);
				hi = Math.max(hi, xy[2 * i + c]);
			}
			float span = Math.max(hi - lo, 1e-12f);
			for (int i = 0; i < n; i++) {
				xy[2 * i + c] = 10 * (xy[2 * i + c] - lo) / span;
			}
		}
		return xy;
	}

	/** Modified Gram-Schmidt against {@code trivial} and each earlier vector; a vector that vanishes is redrawn. */
	private static void orthonormalise(double[][] block, double[] trivial, SplittableRandom random) {
		for (int j = 0; j < block.length; j++) {
			for (int attempt = 0; attempt < 3; attempt++) {
				// twice, for vectors nearly inside the span already
				for (int pass = 0; pass < 2; pass++) {
					subtract(block[j], trivial);
					for (int k = 0; k < j; k++) {
						subtract(block[j], block[k]);
					}
				}
				if (normalise(block[j]) > 1e-12) {
					break;
				}
				for (int i = 0; i < block[j].length; i++) {
					block[j][i] = random.nextDouble() - 0.5;
				}
			}
		}
	}

	/** {@code v -= (v . u) u} for a unit vector u. */
	private static void subtract(double[] v, double[] u) {
		double d = dot(v, u);
		for (int i = 0; i < v.length; i++) {
			v[i] -= d * u[i];
		}
	}

	/** @return the norm {@code v} had */
	private static double normalise(double[] v) {
		double norm = Math.sqrt(dot(v, v));
		if (norm > 0) {
			for (int i = 0; i < v.length; i++) {
				v[i] /= norm;
			}
		}
		return norm;
	}

	private static double dot(double[] a, double[] b) {
		double s = 0;
		for (int i = 0; i < a.length; i++) {
			s += a[i] * b[i];
		}
		return s;
	}

	/** A standard normal draw (Box-Muller) from the seeded generator. */
	private static double gaussian(SplittableRandom random) {
		double u = 1 - random.nextDouble();
		return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
	}
}
