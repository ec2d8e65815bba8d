package dev.lumen.map;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MapClustersTest {

	@Test
	void threeSeparateGroupsOnTheMapBecomeThreePureClustersNumberedBySize() {
		Random random = new Random(1);
		int[] sizes = { 50, 80, 30 };
		float[][] centres = { { 100, 100 }, { 800, 200 }, { 400, 900 } };
		float[] xy = new float[2 * 160];
		int[] group = new int[160];
		int row = 0;
		for (int g = 0; g < 3; g++) {
			for (int i = 0; i < sizes[g]; i++, row++) {
				xy[2 * row] = (float) (centres[g][0] + 20 * random.nextGaussian());
				xy[2 * row + 1] = (float) (centres[g][1] + 20 * random.nextGaussian());
				group[row] = g;
			}
		}
		MapClusters.Result r = MapClusters.of(xy, 3, 42);
		assertThat(r.sizes()).containsExactly(80, 50, 30);
		for (int g = 0; g < 3; g++) {
			Set<Integer> clustersOfGroup = new HashSet<>();
			for (int i = 0; i < 160; i++) {
				if (group[i] == g) {
					clustersOfGroup.add(r.assignment()[i]);
				}
			}
			assertThat(clustersOfGroup).hasSize(1);
		}
		assertThat(r.centres()[0]).isCloseTo(800f, org.assertj.core.api.Assertions.within(15f));
		assertThat(MapClusters.of(xy, 3, 42).assignment()).containsExactly(r.assignment());
	}

	@Test
	void clusterCountGrowsWithTheSquareRootOfTheSaeUpToForty() {
		assertThat(MapClusters.clusterCount(3)).isEqualTo(1);
		assertThat(MapClusters.clusterCount(1_000)).isEqualTo(6);
		assertThat(MapClusters.clusterCount(16_384)).isEqualTo(26);
		assertThat(MapClusters.clusterCount(131_072)).isEqualTo(40);
	}
}
