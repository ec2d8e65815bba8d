package dev.lumen.map;

import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.ml.clustering.CentroidCluster;
import org.apache.commons.math3.ml.clustering.Clusterable;
import org.apache.commons.math3.ml.clustering.KMeansPlusPlusClusterer;
import org.apache.commons.math3.ml.distance.EuclideanDistance;
import org.apache.commons.math3.random.JDKRandomGenerator;

/**
 * Clusters of the 2-D map: k-means++ (Apache Commons Math) on the laid-out points, seeded, so a seed gives the
 * same clusters. k grows with the square root of the SAE's size: about one cluster per 25·k features, 1 to 40.
 */
public final class MapClusters {

	static final int MAX_CLUSTERS = 40;

	private static final int MAX_ITERATIONS = 100;

	/**
	 * @param assignment {@code [n]} the cluster of every point
	 * @param centres {@code [clusters * 2]} the cluster centres on the map
	 * @param sizes {@code [clusters]}
	 */
	public record Result(int[] assignment, float[] centres, int[] sizes) {

		public int count() {
			return this.sizes.length;
		}
	}

	private MapClusters() {
	}

	/** @return the number of clusters for {@code n} features */
	public static int clusterCount(int n) {
		return (int) Math.max(1, Math.min(MAX_CLUSTERS, Math.round(Math.sqrt(n / 25.0))));
	}

	/**
	 * @param xy {@code [n * 2]} map coordinates
	 * @return clusters numbered by size, largest first
	 */
	public static Result of(float[] xy, int clusters, long seed) {
		int n = xy.length / 2;
		List<Point> points = new ArrayList<>(n);
		for (int i = 0; i < n; i++) {
			points.add(new Point(i, new double[] { xy[2 * i], xy[2 * i + 1] }));
		}
		JDKRandomGenerator random = new JDKRandomGenerator();
		random.setSeed(seed);
		KMeansPlusPlusClusterer<Point> kmeans = new KMeansPlusPlusClusterer<>(Math.min(clusters, n), MAX_ITERATIONS,
				new EuclideanDistance(), random, KMeansPlusPlusClusterer.EmptyClusterStrategy.LARGEST_POINTS_NUMBER);
		List<CentroidCluster<Point>> found = new ArrayList<>(kmeans.cluster(points));
		found.removeIf(c -> c.getPoints().isEmpty());
		// largest first, ties by centre position, so numbering does not depend on the library's order
		found.sort((a, b) -> a.getPoints().size() != b.getPoints().size()
				? Integer.compare(b.getPoints().size(), a.getPoints().size())
				: Double.compare(a.getCenter().getPoint()[0], b.getCenter().getPoint()[0]));
		int[] assignment = new int[n];
		float[] centres = new float[2 * found.size()];
		int[] sizes = new int[found.size()];
		for (int c = 0; c < found.size(); c++) {
			for (Point p : found.get(c).getPoints()) {
				assignment[p.row] = c;
			}
			centres[2 * c] = (float) found.get(c).getCenter().getPoint()[0];
			centres[2 * c + 1] = (float) found.get(c).getCenter().getPoint()[1];
			sizes[c] = found.get(c).getPoints().size();
		}
		return new Result(assignment, centres, sizes);
	}

	private record Point(int row, double[] getPoint) implements Clusterable {
	}
}
