package dev.lumen.spark;

import dev.lumen.stats.FeatureStatistics;
import dev.lumen.stats.StatsSettings;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.function.Consumer;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.util.LongAccumulator;

/**
 * The corpus pass on Spark: shards not yet merged are processed in rounds; each round is one Spark job whose tasks
 * return per-shard partials, combined with {@code treeReduce} (the feature-stats merge, so executors combine
 * partials before the driver sees them), then merged into the running result on the driver and checkpointed.
 * Spark recomputes a failed or lost task; a run killed as a whole resumes from the last checkpointed round.
 */
final class SparkCorpusPass {

	/** Where the pass is, for progress lines. */
	record Progress(int shardsDone, int shards, long tokensDone, long tokens, double tokensPerSecond) {
	}

	private final JavaSparkContext spark;

	private final ShardTask task;

	private final int roundShards;

	private final int haltAfterRounds;

	private final Runnable halt;

	/**
	 * @param roundShards shards per round (one checkpoint per round)
	 * @param haltAfterRounds test hook: {@code halt} runs after this many rounds' checkpoints (0: never)
	 * @param halt what the hook does: the command line halts the JVM as abruptly as kill -9
	 */
	SparkCorpusPass(JavaSparkContext spark, ShardTask task, int roundShards, int haltAfterRounds, Runnable halt) {
		this.spark = spark;
		this.task = task;
		this.roundShards = roundShards;
		this.haltAfterRounds = haltAfterRounds;
		this.halt = halt;
	}

	FeatureStatistics run(List<CorpusShards.Shard> shards, long tokens, int dSae, MergedCheckpoint checkpoint,
			Consumer<Progress> progress) {
		StatsSettings settings = this.task.settings().toStats();
		MergedCheckpoint.Resume resume = checkpoint.load(settings, dSae);
		FeatureStatistics merged = resume.merged();
		BitSet done = resume.done();
		List<CorpusShards.Shard> todo = new ArrayList<>();
		long tokensBefore = 0;
		for (CorpusShards.Shard s : shards) {
			if (done.get(s.index())) {
				tokensBefore += s.corpusTokens();
			}
			else {
				todo.add(s);
			}
		}
		LongAccumulator shardsDone = this.spark.sc().longAccumulator("lumen shards done");
		LongAccumulator tokensDone = this.spark.sc().longAccumulator("lumen tokens done");
		long started = System.nanoTime();
		int resumedShards = done.cardinality();
		long resumedTokens = tokensBefore;
		Runnable report = () -> {
			double seconds = (System.nanoTime() - started) / 1e9;
			progress.accept(new Progress(resumedShards + shardsDone.value().intValue(), shards.size(),
					resumedTokens + tokensDone.value(), tokens, seconds > 0 ? tokensDone.value() / seconds : 0));
		};
		// say at once where a resumed job stands, before the first shard of this run finishes
		report.run();
		try (ProgressTicker ticker = new ProgressTicker(report)) {
			int rounds = 0;
			for (int from = 0; from < todo.size(); from += this.roundShards) {
				List<CorpusShards.Shard> round = todo.subList(from, Math.min(todo.size(), from + this.roundShards));
				merged.merge(Partials.decode(runRound(round, dSae, shardsDone, tokensDone), settings, dSae));
				round.forEach(s -> done.set(s.index()));
				checkpoint.save(merged, done, ++rounds);
				report.run();
				if (rounds == this.haltAfterRounds) {
					System.out.flush();
					this.halt.run();
				}
			}
		}
		report.run();
		return merged;
	}

	private byte[] runRound(List<CorpusShards.Shard> round, int dSae, LongAccumulator shardsDone,
			LongAccumulator tokensDone) {
		ShardTask t = this.task;
		ShippableSettings s = t.settings();
		JavaRDD<CorpusShards.Shard> rdd = this.spark.parallelize(new ArrayList<>(round), round.size());
		return rdd.map(shard -> {
			byte[] partial = t.partial(shard);
			shardsDone.add(1);
			tokensDone.add(shard.corpusTokens());
			return partial;
		}).treeReduce((a, b) -> Partials.merge(a, b, s.toStats(), dSae), 2);
	}

	/** Reports progress every second while a round runs (accumulators update as tasks finish). */
	private static final class ProgressTicker implements AutoCloseable {

		private final Thread thread;

		ProgressTicker(Runnable report) {
			this.thread = new Thread(() -> {
				try {
					while (!Thread.currentThread().isInterrupted()) {
						Thread.sleep(1000);
						report.run();
					}
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}, "lumen-progress");
			this.thread.setDaemon(true);
			this.thread.start();
		}

		@Override
		public void close() {
			this.thread.interrupt();
		}
	}
}
