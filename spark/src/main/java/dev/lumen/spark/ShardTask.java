package dev.lumen.spark;

import dev.lumen.stats.FeatureBlock;
import dev.lumen.stats.FeatureBlockFiles;
import dev.lumen.stats.FeatureStatistics;
import dev.lumen.stats.WindowActivations;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.TaskContext;
import scala.Tuple2;

/**
 * What one Spark task does with one shard: forward + sparse encode batch by batch on the executor's cached model
 * and SAE, statistics into a fresh partial, the partial returned as encoded feature blocks. A pure function of the
 * shard, so a retried or speculative attempt returns the same bytes (idempotent per shard).
 * @param failShardOnce test hook: the first attempt of this shard's task fails (-1: never)
 */
record ShardTask(ExecutorModels.Key models, ShippableSettings settings, int batchSize, int failShardOnce)
		implements Serializable {

	/**
	 * The shard's partials cut into feature blocks: ((block number, first window), encoded block), every block of the
	 * SAE. One partial for the shard, or, when co-occurrence is counted in capped tables, one per 64-window segment:
	 * those must be folded in segment order to give the counts of a single run (see FeatureStatistics#merge).
	 */
	List<Tuple2<Tuple2<Integer, Integer>, byte[]>> blocks(CorpusShards.Shard shard, int blockFeatures) {
		int dSae = ExecutorModels.encoder(this.models).dSae();
		int windows = shard.tokens().length;
		int part = FeatureStatistics.countsCoOccurrenceExactly(dSae) ? windows
				: FeatureStatistics.CO_OCCURRENCE_SEGMENT_WINDOWS;
		List<FeatureStatistics> partials = statistics(shard, part);
		List<Tuple2<Tuple2<Integer, Integer>, byte[]>> out = new ArrayList<>();
		for (int p = 0; p < partials.size(); p++) {
			List<FeatureBlock> blocks = partials.get(p).blocks(blockFeatures);
			partials.set(p, null);
			for (int b = 0; b < blocks.size(); b++) {
				out.add(new Tuple2<>(new Tuple2<>(b, shard.firstWindow() + p * part), FeatureBlockFiles.encode(blocks.get(b))));
				blocks.set(b, null); // encoded: let it go
			}
		}
		return out;
	}

	FeatureStatistics statistics(CorpusShards.Shard shard) {
		return statistics(shard, shard.tokens().length).get(0);
	}

	/**
	 * The shard's windows through model and SAE in the batches of a single machine, each window added (in order) to
	 * the partial of its part of {@code partWindows} windows.
	 */
	List<FeatureStatistics> statistics(CorpusShards.Shard shard, int partWindows) {
		TaskContext task = TaskContext.get();
		if (shard.index() == this.failShardOnce && task != null && task.attemptNumber() == 0) {
			throw new IllegalStateException("test hook: the first attempt of shard " + shard.index() + " fails");
		}
		ShardEncoder encoder = ExecutorModels.encoder(this.models);
		int[][] windows = shard.tokens();
		List<FeatureStatistics> parts = new ArrayList<>();
		for (int p = 0; p < Math.max(1, (windows.length + partWindows - 1) / partWindows); p++) {
			parts.add(new FeatureStatistics(this.settings.toStats(), encoder.dSae()));
		}
		for (int from = 0; from < windows.length; from += this.batchSize) {
			int[][] batch = Arrays.copyOfRange(windows, from, Math.min(windows.length, from + this.batchSize));
			for (WindowActivations w : encoder.encode(batch, shard.firstWindow() + from)) {
				parts.get((w.window() - shard.firstWindow()) / partWindows).add(w);
			}
		}
		return parts;
	}
}
