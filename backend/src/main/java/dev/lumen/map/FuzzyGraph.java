package dev.lumen.map;

import java.util.Arrays;

/**
 * UMAP's fuzzy simplicial set of a kNN graph (McInnes, Healy and Melville 2018, section 3; {@code umap-learn}'s
 * {@code smooth_knn_dist}, {@code compute_membership_strengths} and {@code fuzzy_simplicial_set}): each point's
 * distances are shifted by its nearest neighbour's ({@code rho}) and scaled ({@code sigma}) so that its
 * memberships sum to {@code log2(k + 1)} (umap-learn's {@code log2(n_neighbors)}, whose lists include the point); the directed graph is symmetrised by fuzzy union
 * {@code a + b - a * b}. Edges are listed in both directions, as the layout's SGD samples them.
 * @param heads {@code [edges]} the point an edge pulls
 * @param tails {@code [edges]} the point it pulls towards
 * @param weights {@code [edges]} membership strength in (0, 1]
 */
public record FuzzyGraph(int n, int[] heads, int[] tails, float[] weights) {

	private static final int SEARCH_STEPS = 64;

	private static final double TOLERANCE = 1e-5;

	/** umap-learn's MIN_K_DIST_SCALE: sigma never falls below this share of the mean distance. */
	private static final double MIN_SIGMA_SCALE = 1e-3;

	/** @return the symmetric fuzzy graph of {@code knn} (local connectivity 1, set_op_mix_ratio 1) */
	public static FuzzyGraph of(KnnGraph knn) {
		int n = knn.n(), k = knn.k();
		float[] directed = new float[n * k]; // membership of i -> its r-th neighbour
		// umap-learn's n_neighbors counts the point itself (its kNN lists start with it): target log2(k + 1)
		double target = Math.log(k + 1) / Math.log(2);
		for (int i = 0; i < n; i++) {
			double rho = Double.MAX_VALUE, mean = 0;
			for (int r = 0; r < k; r++) {
				double d = knn.distance(i, r);
				mean += d;
				if (d > 0 && d < rho) {
					rho = d;
				}
			}
			rho = rho == Double.MAX_VALUE ? 0 : rho;
			double sigma = Math.max(sigma(knn, i, rho, target), MIN_SIGMA_SCALE * mean / k);
			for (int r = 0; r < k; r++) {
				double shifted = knn.distance(i, r) - rho;
				directed[i * k + r] = shifted <= 0 || sigma == 0 ? 1f : (float) Math.exp(-shifted / sigma);
			}
		}
		return symmetrised(knn, directed);
	}

	/** Binary search for the sigma that makes point i's memberships sum to {@code target}. */
	private static double sigma(KnnGraph knn, int i, double rho, double target) {
		double lo = 0, hi = Double.MAX_VALUE, mid = 1;
		for (int step = 0; step < SEARCH_STEPS; step++) {
			double sum = 0;
			for (int r = 0; r < knn.k(); r++) {
				double shifted = knn.distance(i, r) - rho;
				sum += shifted > 0 ? Math.exp(-shifted / mid) : 1;
			}
			if (Math.abs(sum - target) < TOLERANCE) {
				break;
			}
			if (sum > target) {
				hi = mid;
				mid = (lo + hi) / 2;
			}
			else {
				lo = mid;
				mid = hi == Double.MAX_VALUE ? mid * 2 : (lo + hi) / 2;
			}
		}
		return mid;
	}

	/** Fuzzy union of i -> j and j -> i; the reverse membership is looked up in j's own k-list. */
	private static FuzzyGraph symmetrised(KnnGraph knn, float[] directed) {
		int n = knn.n(), k = knn.k();
		int[] heads = new int[2 * n * k];
		int[] tails = new int[2 * n * k];
		float[] weights = new float[2 * n * k];
		int edges = 0;
		for (int i = 0; i < n; i++) {
			for (int r = 0; r < k; r++) {
				int j = knn.index(i, r);
				if (j == i) {
					continue;
				}
				float a = directed[i * k + r];
				float b = 0;
				boolean mutual = false;
				for (int s = 0; s < k; s++) {
					if (knn.index(j, s) == i) {
						b = directed[j * k + s];
						mutual = true;
						break;
					}
				}
				if (mutual && j < i) {
					continue; // listed when the loop was at j
				}
				float w = a + b - a * b;
				if (w <= 0) {
					continue;
				}
				heads[edges] = i;
				tails[edges] = j;
				weights[edges++] = w;
				heads[edges] = j;
				tails[edges] = i;
				weights[edges++] = w;
			}
		}
		return new FuzzyGraph(n, Arrays.copyOf(heads, edges), Arrays.copyOf(tails, edges),
				Arrays.copyOf(weights, edges));
	}

	public int edges() {
		return this.heads.length;
	}
}
