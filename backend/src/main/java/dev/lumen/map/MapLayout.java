package dev.lumen.map;

import java.util.SplittableRandom;

/**
 * Lays out a kNN graph in 2-D with UMAP, starting from the fuzzy graph's spectral layout ({@link SpectralStart},
 * umap-learn's default). Up to {@code maxLaidOut} points are optimised together; beyond that a
 * seeded random subset is laid out on its own exact kNN graph, and every other point is placed by UMAP's
 * transform: at the membership-weighted mean of its already placed neighbours, then refined for a third of
 * the epochs with the subset held fixed. Coordinates come back scaled to [0, 1000] on both axes.
 */
public final class MapLayout {

	/** Other points per point in the fuzzy graph: umap-learn's default n_neighbors = 15 counts the point itself. */
	public static final int NEIGHBOURS = 14;

	/** Computes the exact kNN graph among a subset of rows (given by their row numbers), as subset rows. */
	public interface SubsetNeighbours {
		KnnGraph among(int[] rows, int k);
	}

	/** @param laidOut points the SGD optimised together; the rest were placed by transform */
	public record Result(float[] xy, int laidOut, int epochs) {
	}

	private MapLayout() {
	}

	public static Result compute(KnnGraph knn, long seed, int maxLaidOut, SubsetNeighbours subsets) {
		KnnGraph graph = knn.truncate(NEIGHBOURS);
		int n = graph.n();
		SplittableRandom random = new SplittableRandom(seed);
		UmapLayout umap = UmapLayout.defaults();
		if (n <= maxLaidOut) {
			int epochs = UmapLayout.defaultEpochs(n);
			FuzzyGraph fuzzy = FuzzyGraph.of(graph);
			float[] xy = SpectralStart.of(fuzzy, random);
			umap.optimise(fuzzy, xy, epochs, null, random);
			return new Result(scaled(xy), n, epochs);
		}
		int[] subset = sample(n, maxLaidOut, random);
		int epochs = UmapLayout.defaultEpochs(subset.length);
		FuzzyGraph sampleGraph = FuzzyGraph.of(subsets.among(subset, graph.k()));
		float[] subXy = SpectralStart.of(sampleGraph, random);
		umap.optimise(sampleGraph, subXy, epochs, null, random);
		float[] xy = new float[2 * n];
		boolean[] placed = new boolean[n];
		for (int s = 0; s < subset.length; s++) {
			xy[2 * subset[s]] = subXy[2 * s];
			xy[2 * subset[s] + 1] = subXy[2 * s + 1];
			placed[subset[s]] = true;
		}
		FuzzyGraph full = FuzzyGraph.of(graph);
		placeAtNeighbours(full, xy, placed, random);
		boolean[] fixed = new boolean[n];
		for (int s : subset) {
			fixed[s] = true;
		}
		umap.optimise(full, xy, Math.max(1, epochs / 3), fixed, random);
		return new Result(scaled(xy), subset.length, epochs);
	}

	/** {@code m} distinct row numbers out of {@code n}, sorted, by a seeded partial Fisher-Yates shuffle. */
	static int[] sample(int n, int m, SplittableRandom random) {
		int[] all = new int[n];
		for (int i = 0; i < n; i++) {
			all[i] = i;
		}
		for (int i = 0; i < m; i++) {
			int j = i + random.nextInt(n - i);
			int t = all[i];
			all[i] = all[j];
			all[j] = t;
		}
		int[] out = java.util.Arrays.copyOf(all, m);
		java.util.Arrays.sort(out);
		return out;
	}

	/**
	 * Puts every unplaced point at the weighted mean of its placed graph neighbours, in passes (a point whose
	 * neighbours are all unplaced waits for a later pass); points never reached go to a random placed point.
	 */
	static void placeAtNeighbours(FuzzyGraph graph, float[] xy, boolean[] placed, SplittableRandom random) {
		int n = graph.n();
		double[] sx = new double[n], sy = new double[n], sw = new double[n];
		boolean progress = true;
		while (progress) {
			progress = false;
			java.util.Arrays.fill(sw, 0);
			java.util.Arrays.fill(sx, 0);
			java.util.Arrays.fill(sy, 0);
			for (int e = 0; e < graph.edges(); e++) {
				int i = graph.heads()[e], j = graph.tails()[e];
				if (!placed[i] && placed[j]) {
					double w = graph.weights()[e];
					sx[i] += w * xy[2 * j];
					sy[i] += w * xy[2 * j + 1];
					sw[i] += w;
				}
			}
			for (int i = 0; i < n; i++) {
				if (!placed[i] && sw[i] > 0) {
					xy[2 * i] = (float) (sx[i] / sw[i]);
					xy[2 * i + 1] = (float) (sy[i] / sw[i]);
					placed[i] = true;
					progress = true;
				}
			}
		}
		int[] anchors = java.util.stream.IntStream.range(0, n).filter(i -> placed[i]).toArray();
		for (int i = 0; i < n; i++) {
			if (!placed[i]) {
				int a = anchors[random.nextInt(anchors.length)];
				xy[2 * i] = xy[2 * a];
				xy[2 * i + 1] = xy[2 * a + 1];
				placed[i] = true;
			}
		}
	}

	/** Scales both axes together into [0, 1000] (keeping the aspect ratio), centred. */
	static float[] scaled(float[] xy) {
		float minX = Float.MAX_VALUE, minY = Float.MAX_VALUE, maxX = -Float.MAX_VALUE, maxY = -Float.MAX_VALUE;
		for (int i = 0; i < xy.length; i += 2) {
			minX = Math.min(minX, xy[i]);
			maxX = Math.max(maxX, xy[i]);
			minY = Math.min(minY, xy[i + 1]);
			maxY = Math.max(maxY, xy[i + 1]);
		}
		float span = Math.max(Math.max(maxX - minX, maxY - minY), 1e-6f);
		float offX = (span - (maxX - minX)) / 2, offY = (span - (maxY - minY)) / 2;
		float[] out = new float[xy.length];
		for (int i = 0; i < xy.length; i += 2) {
			out[i] = (xy[i] - minX + offX) / span * 1000f;
			out[i + 1] = (xy[i + 1] - minY + offY) / span * 1000f;
		}
		return out;
	}
}
