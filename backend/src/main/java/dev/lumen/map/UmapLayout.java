package dev.lumen.map;

import java.util.SplittableRandom;

/**
 * UMAP's 2-D layout: stochastic gradient descent on the cross-entropy between the fuzzy graph and a
 * low-dimensional one ({@code umap-learn}'s {@code optimize_layout_euclidean}, single-threaded, so a seed
 * gives the same layout every time). Each edge is sampled in proportion to its weight
 * ({@code epochs_per_sample = max_weight / weight}), with {@code negativeRate} random points pushed away per
 * sample; the learning rate falls linearly to 0; gradients are clipped to ±4.
 */
public final class UmapLayout {

	/** The curve {@code 1 / (1 + a d^(2b))} fitted for min_dist 0.1, spread 1 (umap-learn's find_ab_params). */
	static final double A = 1.5769434603113077;

	static final double B = 0.8950608781227859;

	private static final double CLIP = 4;

	private final int negativeRate;

	private final double gamma;

	public UmapLayout(int negativeRate, double gamma) {
		this.negativeRate = negativeRate;
		this.gamma = gamma;
	}

	/** umap-learn's defaults: 5 negative samples per positive one, repulsion strength 1. */
	public static UmapLayout defaults() {
		return new UmapLayout(5, 1);
	}

	/** @return umap-learn's default epochs: 500 for up to 10 000 points, else 200 */
	public static int defaultEpochs(int n) {
		return n <= 10_000 ? 500 : 200;
	}

	/**
	 * Points placed uniformly at random in [-10, 10]², umap-learn's {@code init='random'}.
	 * @return {@code [n * 2]} x, y
	 */
	public static float[] randomStart(int n, SplittableRandom random) {
		float[] xy = new float[2 * n];
		for (int i = 0; i < xy.length; i++) {
			xy[i] = (float) (random.nextDouble() * 20 - 10);
		}
		return xy;
	}

	/**
	 * Optimises {@code xy} in place.
	 * @param xy {@code [n * 2]} starting positions
	 * @param fixed points that stay where they are (a transform places new points among laid-out ones), or null
	 */
	public void optimise(FuzzyGraph graph, float[] xy, int epochs, boolean[] fixed, SplittableRandom random) {
		int edges = graph.edges();
		float max = 0;
		for (float w : graph.weights()) {
			max = Math.max(max, w);
		}
		double[] perSample = new double[edges];
		double[] nextSample = new double[edges];
		double[] nextNegative = new double[edges];
		for (int e = 0; e < edges; e++) {
			// umap-learn drops edges too weak to be sampled once in the whole run
			perSample[e] = graph.weights()[e] < max / epochs ? -1 : max / graph.weights()[e];
			nextSample[e] = perSample[e];
			nextNegative[e] = perSample[e] / this.negativeRate;
		}
		int n = graph.n();
		for (int epoch = 0; epoch < epochs; epoch++) {
			double alpha = 1.0 - (double) epoch / epochs;
			for (int e = 0; e < edges; e++) {
				if (perSample[e] <= 0 || nextSample[e] > epoch) {
					continue;
				}
				int i = graph.heads()[e];
				if (fixed != null && fixed[i]) {
					nextSample[e] += perSample[e];
					continue;
				}
				attract(xy, i, graph.tails()[e], alpha, fixed == null || !fixed[graph.tails()[e]]);
				nextSample[e] += perSample[e];
				double perNegative = perSample[e] / this.negativeRate;
				int negatives = (int) ((epoch - nextNegative[e]) / perNegative);
				for (int s = 0; s < negatives; s++) {
					repel(xy, i, random.nextInt(n), alpha);
				}
				nextNegative[e] += negatives * perNegative;
			}
		}
	}

	private static void attract(float[] xy, int i, int j, double alpha, boolean moveOther) {
		double dx = xy[2 * i] - xy[2 * j], dy = xy[2 * i + 1] - xy[2 * j + 1];
		double d2 = dx * dx + dy * dy;
		if (d2 <= 0) {
			return;
		}
		double coeff = -2 * A * B * Math.pow(d2, B - 1) / (A * Math.pow(d2, B) + 1);
		double gx = clip(coeff * dx) * alpha, gy = clip(coeff * dy) * alpha;
		xy[2 * i] += (float) gx;
		xy[2 * i + 1] += (float) gy;
		if (moveOther) {
			xy[2 * j] -= (float) gx;
			xy[2 * j + 1] -= (float) gy;
		}
	}

	private void repel(float[] xy, int i, int j, double alpha) {
		if (i == j) {
			return;
		}
		double dx = xy[2 * i] - xy[2 * j], dy = xy[2 * i + 1] - xy[2 * j + 1];
		double d2 = dx * dx + dy * dy;
		double gx, gy;
		if (d2 > 0) {
			double coeff = 2 * this.gamma * B / ((0.001 + d2) * (A * Math.pow(d2, B) + 1));
			gx = clip(coeff * dx);
			gy = clip(coeff * dy);
		}
		else {
			gx = CLIP;
			gy = CLIP;
		}
		xy[2 * i] += (float) (gx * alpha);
		xy[2 * i + 1] += (float) (gy * alpha);
	}

	private static double clip(double v) {
		return Math.max(-CLIP, Math.min(CLIP, v));
	}
}
