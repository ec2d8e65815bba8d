package dev.lumen.map;

import dev.lumen.engine.knn.CosineNeighbours;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Not a test: times the map's steps (exact neighbours, UMAP layout, clusters) on synthetic decoders for
 * {@code scripts/bench-map.sh} ({@code -Dlumen.bench.map=1000,16384,131072 -Dlumen.bench.map.d=768}); skipped
 * unless that property is set. Heap peaks are read from the JVM's memory pools, reset before each size; the
 * engine's native tensors (the neighbour products) are not in them.
 */
class MapTiming {

	@Test
	@EnabledIfSystemProperty(named = "lumen.bench.map", matches = ".+")
	void timeMapSteps() {
		int d = Integer.getInteger("lumen.bench.map.d", 768);
		int maxLaidOut = Integer.getInteger("lumen.bench.map.max-laid-out", FeatureMapBuilder.DEFAULT_MAX_LAID_OUT);
		// load the native engine before anything is timed
		CosineNeighbours.compute(MapTestData.blobs(1, 50, d, 1, 0), 50, d, 5, "cpu", x -> { });
		for (String size : System.getProperty("lumen.bench.map").split(",")) {
			int n = Integer.parseInt(size.trim());
			float[] rows = java.util.Arrays.copyOf(MapTestData.blobs((n + 249) / 250, 250, d, 0.8, 1), n * d);
			System.gc();
			ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
			long t0 = System.nanoTime();
			CosineNeighbours.Result knn = CosineNeighbours.compute(rows, n, d, FeatureMapBuilder.STORED_NEIGHBOURS, "cpu",
					x -> { });
			long t1 = System.nanoTime();
			float[] matrix = rows;
			int dims = d;
			MapLayout.Result layout = MapLayout.compute(new KnnGraph(n, knn.k(), knn.indices(), knn.cosines()), 42,
					maxLaidOut, (subset, k) -> {
						float[] sub = new float[subset.length * dims];
						for (int i = 0; i < subset.length; i++) {
							System.arraycopy(matrix, subset[i] * dims, sub, i * dims, dims);
						}
						CosineNeighbours.Result r = CosineNeighbours.compute(sub, subset.length, dims, k, "cpu", x -> { });
						return new KnnGraph(subset.length, k, r.indices(), r.cosines());
					});
			long t2 = System.nanoTime();
			MapClusters.Result clusters = MapClusters.of(layout.xy(), MapClusters.clusterCount(n), 42);
			long t3 = System.nanoTime();
			System.out.printf(Locale.ROOT, "MAPTIMING n=%d d=%d laidOut=%d neighbours=%.1fs layout=%.1fs clusters=%.1fs "
					+ "(k=%d) peakHeap=%dMiB%n", n, d, layout.laidOut(), (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9,
					clusters.count(), peakHeap() >> 20);
		}
	}

	private static long peakHeap() {
		long peak = 0;
		for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
			if (pool.getType() == MemoryType.HEAP) {
				peak += pool.getPeakUsage().getUsed();
			}
		}
		return peak;
	}
}
