package dev.lumen.map;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/** Synthetic decoder directions with known structure, and their exact kNN graph computed by brute force. */
final class MapTestData {

	private MapTestData() {
	}

	/**
	 * {@code blobs} groups of {@code perBlob} unit vectors, each a random centre plus small noise.
	 * @return {@code [n * d]} row-major; row r belongs to blob {@code r / perBlob}
	 */
	static float[] blobs(int blobs, int perBlob, int d, double noise, long seed) {
		Random random = new Random(seed);
		float[] rows = new float[blobs * perBlob * d];
		for (int b = 0; b < blobs; b++) {
			double[] centre = new double[d];
			for (int c = 0; c < d; c++) {
				centre[c] = random.nextGaussian();
			}
			for (int p = 0; p < perBlob; p++) {
				int row = b * perBlob + p;
				for (int c = 0; c < d; c++) {
					rows[row * d + c] = (float) (centre[c] + noise * random.nextGaussian());
				}
			}
		}
		return rows;
	}

	/** The exact k nearest rows by cosine, as {@link KnnGraph}. */
	static KnnGraph knn(float[] rows, int n, int d, int k) {
		int[] ix = new int[n * k];
		float[] cos = new float[n * k];
		double[] norms = new double[n];
		for (int i = 0; i < n; i++) {
			double s = 0;
			for (int c = 0; c < d; c++) {
				s += rows[i * d + c] * rows[i * d + c];
			}
			norms[i] = Math.sqrt(s);
		}
		for (int i = 0; i < n; i++) {
			List<double[]> all = new ArrayList<>();
			for (int j = 0; j < n; j++) {
				if (j != i) {
					double dot = 0;
					for (int c = 0; c < d; c++) {
						dot += rows[i * d + c] * rows[j * d + c];
					}
					all.add(new double[] { j, dot / (norms[i] * norms[j]) });
				}
			}
			all.sort(Comparator.comparingDouble((double[] a) -> -a[1]));
			for (int r = 0; r < k; r++) {
				ix[i * k + r] = (int) all.get(r)[0];
				cos[i * k + r] = (float) all.get(r)[1];
			}
		}
		return new KnnGraph(n, k, ix, cos);
	}

	/** Subset neighbours by brute force, for {@link MapLayout}'s sampling path. */
	static MapLayout.SubsetNeighbours subsets(float[] rows, int d) {
		return (subset, k) -> {
			float[] sub = new float[subset.length * d];
			for (int i = 0; i < subset.length; i++) {
				System.arraycopy(rows, subset[i] * d, sub, i * d, d);
			}
			return knn(sub, subset.length, d, k);
		};
	}
}
