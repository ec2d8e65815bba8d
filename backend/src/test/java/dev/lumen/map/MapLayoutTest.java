package dev.lumen.map;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MapLayoutTest {

	static final int BLOBS = 4, PER_BLOB = 60, D = 24;

	@Test
	void layoutKeepsDecoderNeighbourhoodsTogetherAndBlobsApart() {
		float[] rows = MapTestData.blobs(BLOBS, PER_BLOB, D, 0.35, 7);
		int n = BLOBS * PER_BLOB;
		MapLayout.Result r = MapLayout.compute(MapTestData.knn(rows, n, D, 20), 42, n, MapTestData.subsets(rows, D));
		assertThat(r.laidOut()).isEqualTo(n);
		assertInRange(r.xy());
		// 10 nearest on the map are from the same blob for nearly every point
		assertThat(sameBlobShareOfMapNeighbours(r.xy(), 10)).isGreaterThan(0.97);
	}

	@Test
	void wellSeparatedGroupsOfDirectionsComeOutAsSeparateClustersThatDoNotOverlap() {
		int groups = 8, per = 50;
		float[] rows = MapTestData.blobs(groups, per, 32, 0.3, 11);
		float[] xy = MapLayout.compute(MapTestData.knn(rows, groups * per, 32, 20), 42, 10_000,
				MapTestData.subsets(rows, 32)).xy();
		double[][] centre = new double[groups][2];
		for (int i = 0; i < groups * per; i++) {
			centre[i / per][0] += xy[2 * i] / per;
			centre[i / per][1] += xy[2 * i + 1] / per;
		}
		double[] radius = new double[groups]; // 95th percentile of the distances to the group's centre
		for (int g = 0; g < groups; g++) {
			double[] d = new double[per];
			for (int p = 0; p < per; p++) {
				int i = g * per + p;
				d[p] = Math.hypot(xy[2 * i] - centre[g][0], xy[2 * i + 1] - centre[g][1]);
			}
			java.util.Arrays.sort(d);
			radius[g] = d[(int) (0.95 * (per - 1))];
		}
		for (int a = 0; a < groups; a++) {
			for (int b = a + 1; b < groups; b++) {
				double gap = Math.hypot(centre[a][0] - centre[b][0], centre[a][1] - centre[b][1]);
				assertThat(gap).as("groups %d and %d", a, b).isGreaterThan(radius[a] + radius[b]);
			}
		}
	}

	@Test
	void aSeedGivesTheSameLayoutEveryTimeAndAnotherSeedAnotherOne() {
		float[] rows = MapTestData.blobs(3, 40, D, 0.5, 3);
		KnnGraph knn = MapTestData.knn(rows, 120, D, 20);
		float[] a = MapLayout.compute(knn, 5, 1000, MapTestData.subsets(rows, D)).xy();
		float[] b = MapLayout.compute(knn, 5, 1000, MapTestData.subsets(rows, D)).xy();
		float[] c = MapLayout.compute(knn, 6, 1000, MapTestData.subsets(rows, D)).xy();
		assertThat(a).containsExactly(b);
		assertThat(a).isNotEqualTo(c);
	}

	@Test
	void aSampleLaidOutWithTheRestPlacedByTransformStillSeparatesBlobs() {
		float[] rows = MapTestData.blobs(BLOBS, PER_BLOB, D, 0.35, 9);
		int n = BLOBS * PER_BLOB;
		MapLayout.Result r = MapLayout.compute(MapTestData.knn(rows, n, D, 20), 42, 80, MapTestData.subsets(rows, D));
		assertThat(r.laidOut()).isEqualTo(80);
		assertInRange(r.xy());
		assertThat(sameBlobShareOfMapNeighbours(r.xy(), 10)).isGreaterThan(0.95);
	}

	private static void assertInRange(float[] xy) {
		for (float v : xy) {
			assertThat(v).isBetween(0f, 1000f);
		}
	}

	/** Of every point's {@code k} nearest points on the map, the share from its own blob. */
	static double sameBlobShareOfMapNeighbours(float[] xy, int k) {
		int n = xy.length / 2;
		long same = 0;
		for (int i = 0; i < n; i++) {
			Integer[] order = new Integer[n];
			for (int j = 0; j < n; j++) {
				order[j] = j;
			}
			final int p = i;
			java.util.Arrays.sort(order, java.util.Comparator.comparingDouble(j -> dist2(xy, p, j)));
			for (int r = 1; r <= k; r++) {
				same += order[r] / PER_BLOB == i / PER_BLOB ? 1 : 0;
			}
		}
		return (double) same / (n * k);
	}

	private static double dist2(float[] xy, int i, int j) {
		double dx = xy[2 * i] - xy[2 * j], dy = xy[2 * i + 1] - xy[2 * j + 1];
		return dx * dx + dy * dy;
	}
}
