package dev.lumen.spark;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.function.Consumer;
import java.io.Serializable;
import java.util.Comparator;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.util.LongAccumulator;
import scala.Tuple2;

/**
 * The corpus pass on Spark: shards not yet merged are processed in rounds; each round is one Spark job whose map
 * tasks cut their shard's partials into feature blocks, keyed by (block, first window); the shuffle sends each
 * block to its own reduce task, sorted by window ({@code repartitionAndSortWithinPartitions}), which merges them one
 * at a time, in corpus order, into the block's checkpoint file with the feature-stats merge ({@link BlockCheckpoint}).
 * Corpus order is what makes co-occurrence tables past their cap equal to a single run's; everything else would
 * merge in any order. Neither the driver nor any executor holds more than one block of the merged statistics.
 * Spark recomputes a failed or lost task; a run killed as a whole resumes from the last checkpointed round.
 */
final class SparkCorpusPass {

	/** Where the pass is, for progress lines. */
	record Progress(int shardsDone, int shards, long tokensDone, long tokens, double tokensPerSecond) {
	}

	private final JavaSparkContext spark;

	private final ShardTask task;

	private final int roundShards;

	private final int blockFeatures;

	private final int haltAfterRounds;

	private final Runnable halt;

	/**
	 * @param roundShards shards per round (one checkpoint per round)
	 * @param blockFeatures features per block (the unit of reduce tasks and checkpoint files)
	 * @param haltAfterRounds test hook: {@code halt} runs after this many rounds' checkpoints (0: never)
	 * @param halt what the hook does: the command line halts the JVM as abruptly as kill -9
	 */
	SparkCorpusPass(JavaSparkContext spark, ShardTask task, int roundShards, int blockFeatures, int haltAfterRounds,
			Runnable halt) {
		this.spark = spark;
		this.task = task;
		this.roundShards = roundShards;
		this.blockFeatures = blockFeatures;
		this.haltAfterRounds = haltAfterRounds;
		this.halt = halt;
	}

	/** @return the last round, whose block files in the checkpoint hold the result (0: no shard at all) */
	int run(List<CorpusShards.Shard> shards, long tokens, BlockCheckpoint checkpoint, Consumer<Progress> progress) {
		BlockCheckpoint.Resume resume = checkpoint.load();
		int round = resume.round();
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
				List<CorpusShards.Shard> batch = todo.subList(from, Math.min(todo.size(), from + this.roundShards));
				runRound(batch, checkpoint, ++round, shardsDone, tokensDone);
				batch.forEach(s -> done.set(s.index()));
				checkpoint.commit(round, done);
				rounds++;
				report.run();
				if (rounds == this.haltAfterRounds) {
					System.out.flush();
					this.halt.run();
				}
			}
		}
		report.run();
		return round;
	}

	private void runRound(List<CorpusShards.Shard> shards, BlockCheckpoint checkpoint, int round,
			LongAccumulator shardsDone, LongAccumulator tokensDone) {
		ShardTask t = this.task;
		ShippableSettings s = t.settings();
		int blockFeatures = this.blockFeatures;
		JavaRDD<CorpusShards.Shard> rdd = this.spark.parallelize(new ArrayList<>(shards), shards.size());
		List<Integer> written = rdd.flatMapToPair(shard -> {
			var blocks = t.blocks(shard, blockFeatures);
			shardsDone.add(1);
			tokensDone.add(shard.corpusTokens());
			return blocks.iterator();
		}).repartitionAndSortWithinPartitions(new ByBlock(checkpoint.blocks()), ByBlock.ORDER)
			.mapPartitions(partials -> checkpoint.advance(partials, round, s.toStats()).iterator())
			.collect();
		if (written.size() != checkpoint.blocks()) {
			throw new IllegalStateException("round " + round + " wrote " + written.size() + " of " + checkpoint.blocks()
					+ " feature blocks");
		}
	}

	/** One reduce partition per feature block; within it, partials in corpus order. */
	static final class ByBlock extends Partitioner {

		private static final long serialVersionUID = 1L;

		static final Comparator<Tuple2<Integer, Integer>> ORDER = (Comparator<Tuple2<Integer, Integer>> & Serializable) (a,
				b) -> a._1().equals(b._1()) ? Integer.compare(a._2(), b._2()) : Integer.compare(a._1(), b._1());

		private final int blocks;

		ByBlock(int blocks) {
			this.blocks = blocks;
		}

		@Override
		public int numPartitions() {
			return this.blocks;
		}

		@Override
		public int getPartition(Object key) {
			@SuppressWarnings("unchecked")
			Tuple2<Integer, Integer> k = (Tuple2<Integer, Integer>) key;
			return k._1();
		}
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
