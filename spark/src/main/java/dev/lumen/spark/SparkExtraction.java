package dev.lumen.spark;

import dev.lumen.engine.model.LanguageModel;
import dev.lumen.engine.sae.training.Corpus;
import dev.lumen.stats.FeatureStatistics;
import dev.lumen.stats.StatsSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The Spark job's driver: {@code spark-submit --class dev.lumen.spark.SparkExtraction lumen-spark.jar ...}. It
 * tokenizes the corpus into the windows of a single-machine extraction, runs the corpus pass on the cluster and
 * leaves the merged statistics in {@code --out}, one file per feature block; {@code lumen extract --spark} starts it
 * and loads the blocks one at a time into PostgreSQL with the same writer as a local extraction. Progress goes to stdout as
 * {@code LUMEN-PROGRESS} lines, the result as one {@code LUMEN-RESULT} line.
 */
@Command(name = "lumen-spark", mixinStandardHelpOptions = true,
		description = "Extraction corpus pass on Apache Spark: merged partial statistics to --out")
public class SparkExtraction implements Callable<Integer> {

	@Option(names = "--master", description = "Spark master when not set by spark-submit; local[N] runs as local[N,4] "
			+ "so a failed task is retried as on a cluster")
	String master;

	@Option(names = "--model", required = true, description = "model file or directory, readable on every node")
	Path model;

	@Option(names = "--sae", required = true, description = "SAE directory, readable on every node")
	Path sae;

	@Option(names = "--corpus", required = true, description = "corpus file or directory (read by the driver)")
	Path corpus;

	@Option(names = "--out", required = true, description = "directory for the merged statistics: one file per "
			+ "feature block, block-NNNNNN.state")
	Path out;

	@Option(names = "--checkpoint-dir", required = true, description = "directory for merged partials after each "
			+ "round, on a filesystem the driver reads after a restart")
	Path checkpointDir;

	@Option(names = "--device", defaultValue = "cpu", description = "executor device: cpu, cuda (the executor's GPU "
			+ "resource) or cuda:N (default: ${DEFAULT-VALUE})")
	String device;

	@Option(names = "--ship-files", description = "ship the model and SAE to executors with SparkContext.addFile "
			+ "instead of reading them from a shared path")
	boolean shipFiles;

	@Option(names = "--context", defaultValue = "128", description = "tokens per window, BOS included")
	int context;

	@Option(names = "--batch", defaultValue = "32", description = "windows per forward pass")
	int batch;

	@Option(names = "--tokens", defaultValue = "0", description = "corpus tokens to read, 0 for all")
	long tokens;

	@Option(names = "--shard-batches", defaultValue = "8", description = "forward batches per shard (one Spark task)")
	int shardBatches;

	@Option(names = "--round-shards", defaultValue = "0", description = "shards per checkpointed round (default: 4 "
			+ "per task slot)")
	int roundShards;

	@Option(names = "--block-features", defaultValue = "16384", description = "features per block: partials are "
			+ "merged per block (one reduce task and one checkpoint file each), so no process holds every feature "
			+ "(default: ${DEFAULT-VALUE})")
	int blockFeatures;

	@Option(names = "--top-k", defaultValue = "32")
	int topK;

	@Option(names = "--intervals", defaultValue = "10")
	int intervals;

	@Option(names = "--per-interval", defaultValue = "8")
	int perInterval;

	@Option(names = "--zero-samples", defaultValue = "16")
	int zeroSamples;

	@Option(names = "--zero-candidates", defaultValue = "64")
	int zeroCandidates;

	@Option(names = "--histogram-bins-per-octave", defaultValue = "4")
	int histogramBinsPerOctave;

	@Option(names = "--bands-per-octave", defaultValue = "2")
	int bandsPerOctave;

	@Option(names = "--partner-cap", defaultValue = "256")
	int partnerCap;

	@Option(names = "--seed", defaultValue = "20240521")
	long seed;

	@Option(names = "--include-bos")
	boolean includeBos;

	@Option(names = "--test-fail-shard-once", defaultValue = "-1", hidden = true)
	int failShardOnce;

	@Option(names = "--test-halt-after-rounds", defaultValue = "0", hidden = true)
	int haltAfterRounds;

	/** What {@code --test-halt-after-rounds} does; tests in one JVM replace it. */
	Runnable halt = () -> Runtime.getRuntime().halt(137);

	/** Where progress goes besides stdout; tests watch it. */
	java.util.function.Consumer<SparkCorpusPass.Progress> progress = p -> {
	};

	public static void main(String[] args) {
		System.exit(new CommandLine(new SparkExtraction()).execute(args));
	}

	@Override
	public Integer call() {
		StatsSettings settings = new StatsSettings(this.context, this.topK, this.intervals, this.perInterval,
				this.zeroSamples, this.zeroCandidates, this.histogramBinsPerOctave, this.bandsPerOctave, this.partnerCap,
				this.seed, this.includeBos);
		List<String> documents = Corpus.documents(this.corpus);
		SparkConf conf = new SparkConf().setAppName("lumen extract " + this.sae.getFileName());
		if (this.master != null) {
			conf.setMaster(withRetries(this.master));
		}
		if (conf.get("spark.master", "").startsWith("local")) {
			conf.setIfMissing("spark.ui.enabled", "false"); // a local run needs no web UI; it costs seconds to start
		}
		try (JavaSparkContext spark = new JavaSparkContext(conf)) {
			spark.setLogLevel("WARN");
			var key = new ExecutorModels.Key(this.model.toAbsolutePath().toString(), this.sae.toAbsolutePath().toString(),
					this.device, this.shipFiles, this.context);
			if (this.shipFiles) {
				spark.sc().addFile(ExecutorModels.shippedRoot(key.model(), true).toString(), true);
				spark.sc().addFile(ExecutorModels.shippedRoot(key.sae(), false).toString(), true);
			}
			// the driver reads the tokenizer and d_sae from its own copy (a local run shares it with its task threads)
			var driverKey = new ExecutorModels.Key(key.model(), key.sae(), "cpu", false, this.context);
			ShardEncoder driverModels = ExecutorModels.encoder(driverKey);
			int shardWindows = this.shardBatches * this.batch;
			if (!FeatureStatistics.countsCoOccurrenceExactly(driverModels.dSae())
					&& shardWindows % FeatureStatistics.CO_OCCURRENCE_SEGMENT_WINDOWS != 0) {
				System.err.printf("lumen-spark: shards of %d windows (--shard-batches %d × --batch %d) are not whole segments "
						+ "of %d windows, which co-occurrence of an SAE of %,d features is counted in; choose a multiple%n",
						shardWindows, this.shardBatches, this.batch, FeatureStatistics.CO_OCCURRENCE_SEGMENT_WINDOWS,
						driverModels.dSae());
				return 2;
			}
			LanguageModel lm = driverModels.model();
			CorpusShards windows = new CorpusShards(documents, text -> lm.tokenizer().encode(text, false),
					lm.tokenizer().bosId(), this.context, this.tokens);
			var shards = windows.shards(this.shardBatches * this.batch);
			int slots = Math.max(1, spark.defaultParallelism());
			int perRound = this.roundShards > 0 ? this.roundShards : 4 * slots;
			System.out.printf("LUMEN-PLAN windows=%d tokens=%d shards=%d rounds=%d slots=%d blocks=%d%n",
					windows.windowCount(), windows.tokenCount(), shards.size(), (shards.size() + perRound - 1) / perRound, slots,
					(driverModels.dSae() + this.blockFeatures - 1) / this.blockFeatures);
			var task = new ShardTask(key, ShippableSettings.of(settings), this.batch, this.failShardOnce);
			var checkpoint = new BlockCheckpoint(this.checkpointDir, windows.windowsHash(), this.shardBatches * this.batch,
					settings, driverModels.dSae(), this.blockFeatures);
			int lastRound = new SparkCorpusPass(spark, task, perRound, this.blockFeatures, this.haltAfterRounds, this.halt)
				.run(shards, windows.tokenCount(), checkpoint, p -> {
					printProgress(p);
					this.progress.accept(p);
				});
			checkpoint.publish(this.out, lastRound, settings);
			System.out.printf("LUMEN-RESULT windows=%d tokens=%d windows_hash=%s out=%s%n", windows.windowCount(),
					windows.tokenCount(), windows.windowsHash(), this.out.toAbsolutePath());
			System.out.flush();
		}
		return 0;
	}

	private static void printProgress(SparkCorpusPass.Progress p) {
		System.out.printf("LUMEN-PROGRESS shards=%d/%d tokens=%d/%d rate=%.0f%n", p.shardsDone(), p.shards(),
				p.tokensDone(), p.tokens(), p.tokensPerSecond());
		System.out.flush();
	}

	/** local[N] (no retries in Spark's local mode) becomes local[N,4], the retry count of a cluster's tasks. */
	static String withRetries(String master) {
		var m = java.util.regex.Pattern.compile("local\\[(\\d+|\\*)\\]").matcher(master.trim());
		return m.matches() ? "local[" + m.group(1) + ",4]" : master;
	}
}
