package dev.lumen.map;

import dev.lumen.catalog.CatalogSae;
import dev.lumen.engine.knn.CosineNeighbours;
import dev.lumen.map.DecoderMatrixReader.DecoderMatrix;
import java.util.List;
import java.util.function.Consumer;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Computes what is fixed for an extraction and shown on every page: each feature's exact nearest decoder
 * neighbours (blockwise cosine on the engine) in its own SAE and in every sibling SAE ({@link SiblingNeighbourLists}),
 * and the feature map (UMAP of the same kNN graph, k-means
 * clusters). Runs after extraction and from {@code lumen map}; the result replaces the previous one atomically.
 */
@Service
public class FeatureMapBuilder {

	/** Neighbours stored per feature: pages show 10, the map's fuzzy graph uses 15. */
	public static final int STORED_NEIGHBOURS = 20;

	/** Points optimised together by default; larger SAEs lay out a sample and place the rest by transform. */
	public static final int DEFAULT_MAX_LAID_OUT = 50_000;

	/** @param device where the neighbour products run: cpu, cuda, cuda:N or auto */
	public record Options(long seed, int maxLaidOut, String device) {

		public static Options defaults() {
			return new Options(42, DEFAULT_MAX_LAID_OUT, "cpu");
		}
	}

	/** What one run did, with the time of each step in seconds. */
	public record Outcome(int features, int clusters, int laidOut, double readSeconds, double neighbourSeconds,
			double layoutSeconds, double clusterSeconds, double writeSeconds) {
	}

	private final DecoderMatrixReader reader;

	private final FeatureMapStore store;

	private final SiblingNeighbourLists siblings;

	private final JdbcTemplate jdbc;

	private final TransactionTemplate tx;

	public FeatureMapBuilder(DecoderMatrixReader reader, FeatureMapStore store, SiblingNeighbourLists siblings,
			JdbcTemplate jdbc, PlatformTransactionManager transactionManager) {
		this.reader = reader;
		this.store = store;
		this.siblings = siblings;
		this.jdbc = jdbc;
		this.tx = new TransactionTemplate(transactionManager);
	}

	/**
	 * @param progress told each step as it starts
	 * @throws IllegalArgumentException when the SAE has fewer than 3 stored features
	 */
	public Outcome build(CatalogSae sae, Options options, Consumer<String> progress) {
		Integer stored = this.jdbc.queryForObject("SELECT count(*) FROM feature WHERE sae_id = ?", Integer.class,
				sae.getId());
		int n = stored == null ? 0 : stored;
		if (n < 3) {
			throw new IllegalArgumentException("SAE " + sae.getName() + " has " + n
					+ " stored features; a map needs at least 3 (run lumen extract first)");
		}
		long t0 = System.nanoTime();
		progress.accept(String.format("reading %,d decoder vectors of %d dims", n, sae.getDIn()));
		DecoderMatrix m = this.reader.read(sae.getId(), sae.getDIn(), n);
		long t1 = System.nanoTime();
		int k = Math.min(STORED_NEIGHBOURS, n - 1);
		progress.accept(String.format("exact top-%d cosine neighbours of %,d features", k, n));
		CosineNeighbours.Result neighbours = CosineNeighbours.compute(m.rows(), n, m.d(), k, options.device(),
				done -> progress.accept(String.format("neighbours: %,d/%,d", done, n)));
		List<SiblingNeighbourLists.Computed> acrossSiblings = this.siblings.compute(sae, m, options.device(), progress);
		long t2 = System.nanoTime();
		progress.accept("UMAP layout");
		KnnGraph knn = new KnnGraph(n, k, neighbours.indices(), neighbours.cosines());
		MapLayout.Result layout = MapLayout.compute(knn, options.seed(), options.maxLaidOut(),
				(rows, kk) -> subsetNeighbours(m, rows, kk, options.device()));
		long t3 = System.nanoTime();
		MapClusters.Result clusters = MapClusters.of(layout.xy(), MapClusters.clusterCount(n), options.seed());
		long t4 = System.nanoTime();
		progress.accept("storing neighbour lists and map");
		String method = String.format("umap(n_neighbors=%d,min_dist=0.1,epochs=%d,init=spectral%s)+kmeans++(k=%d)",
				MapLayout.NEIGHBOURS + 1, layout.epochs(), layout.laidOut() < n ? ",sample=" + layout.laidOut() + "+transform" : "",
				clusters.count());
		double seconds = (t4 - t0) / 1e9;
		this.tx.executeWithoutResult(status -> {
			this.store.writeNeighbours(sae.getId(), m.featureIndices(), neighbours);
			this.store.writeMap(sae.getId(), m.featureIndices(), layout.xy(), clusters, method, options.seed(),
					layout.laidOut(), seconds);
			this.store.bumpContent(sae.getId());
			this.siblings.store(sae.getId(), m.featureIndices(), acrossSiblings);
		});
		long t5 = System.nanoTime();
		return new Outcome(n, clusters.count(), layout.laidOut(), (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9,
				(t4 - t3) / 1e9, (t5 - t4) / 1e9);
	}

	/** The exact kNN graph among some rows of the decoder matrix, numbered as positions in {@code rows}. */
	private static KnnGraph subsetNeighbours(DecoderMatrix m, int[] rows, int k, String device) {
		float[] sub = new float[rows.length * m.d()];
		for (int i = 0; i < rows.length; i++) {
			System.arraycopy(m.rows(), rows[i] * m.d(), sub, i * m.d(), m.d());
		}
		CosineNeighbours.Result r = CosineNeighbours.compute(sub, rows.length, m.d(), k, device, done -> { });
		return new KnnGraph(rows.length, k, r.indices(), r.cosines());
	}
}
