package dev.lumen.extraction;

import java.util.List;

/**
 * How {@code lumen extract --spark} runs its corpus pass on Spark (see docs/scale-out.md).
 * @param master Spark master URL ({@code local[N]}, {@code spark://…}, {@code yarn}, {@code k8s://…})
 * @param conf extra {@code key=value} Spark settings (executor memory, GPU resources, …)
 * @param shardBatches forward batches per shard (one Spark task)
 * @param device executor device (cpu, cuda, cuda:N)
 * @param shipFiles ship model and SAE with the job instead of reading a path every node can read
 * @param blockFeatures features per block: Spark merges partials per feature block and this process loads the
 *        result block by block, so no process holds every feature's statistics
 */
public record SparkOptions(String master, List<String> conf, int shardBatches, String device, boolean shipFiles,
		int blockFeatures) {

	/** Features per block unless --spark-block-features says otherwise. */
	public static final int DEFAULT_BLOCK_FEATURES = 16384;

	public SparkOptions {
		if (master == null || master.isBlank()) {
			throw new IllegalArgumentException("--spark needs a master URL, e.g. local[2], spark://host:7077, yarn");
		}
		if (shardBatches <= 0) {
			throw new IllegalArgumentException("--spark-shard-batches must be positive, got " + shardBatches);
		}
		if (blockFeatures <= 0) {
			throw new IllegalArgumentException("--spark-block-features must be positive, got " + blockFeatures);
		}
		for (String c : conf) {
			if (!c.contains("=")) {
				throw new IllegalArgumentException("--spark-conf takes key=value, got '" + c + "'");
			}
		}
		conf = List.copyOf(conf);
	}
}
