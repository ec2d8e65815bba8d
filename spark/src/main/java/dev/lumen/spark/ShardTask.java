package dev.lumen.spark;

import dev.lumen.stats.FeatureStatistics;
import dev.lumen.stats.WindowActivations;
import java.io.Serializable;
import java.util.Arrays;
import org.apache.spark.TaskContext;

/**
 * What one Spark task does with one shard: forward + sparse encode batch by batch on the executor's cached model
 * and SAE, statistics into a fresh partial, the partial returned as bytes. A pure function of the shard, so a
 * retried or speculative attempt returns the same bytes (idempotent per shard).
 * @param failShardOnce test hook: the first attempt of this shard's task fails (-1: never)
 */
record ShardTask(ExecutorModels.Key models, ShippableSettings settings, int batchSize, int failShardOnce)
		implements Serializable {

	byte[] partial(CorpusShards.Shard shard) {
		TaskContext task = TaskContext.get();
		if (shard.index() == this.failShardOnce && task != null && task.attemptNumber() == 0) {
			throw new IllegalStateException("test hook: the first attempt of shard " + shard.index() + " fails");
		}
		ShardEncoder encoder = ExecutorModels.encoder(this.models);
		FeatureStatistics stats = new FeatureStatistics(this.settings.toStats(), encoder.dSae());
		int[][] windows = shard.tokens();
		for (int from = 0; from < windows.length; from += this.batchSize) {
			int[][] batch = Arrays.copyOfRange(windows, from, Math.min(windows.length, from + this.batchSize));
			for (WindowActivations w : encoder.encode(batch, shard.firstWindow() + from)) {
				stats.add(w);
			}
		}
		return Partials.encode(stats);
	}
}
