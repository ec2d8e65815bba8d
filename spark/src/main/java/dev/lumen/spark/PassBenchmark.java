package dev.lumen.spark;

import dev.lumen.engine.sae.training.Corpus;
import dev.lumen.stats.StatsSettings;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;

import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Throughput of the corpus pass three ways on this machine, interleaved round by round (the order rotates):
 * one process (the loop of {@code lumen extract}: batches in order into one partial), Spark {@code local[1]} and
 * Spark {@code local[2]} (shards as tasks, partials cut into feature blocks and merged by reduceByKey, a checkpoint
 * per round). Reports wall seconds of the pass, the Spark context's start separately, and process CPU seconds, then
 * medians with the min–max spread. {@code scripts/bench-spark.sh} runs it.
 * <p>{@code java ... dev.lumen.spark.PassBenchmark MODEL SAE CORPUS TOKENS ROUNDS [CONTEXT]}
 */
public final class PassBenchmark {

	private PassBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		Path model = Path.of(args[0]);
		Path sae = Path.of(args[1]);
		long tokens = Long.parseLong(args[3]);
		int rounds = Integer.parseInt(args[4]);
		int context = args.length > 5 ? Integer.parseInt(args[5]) : 64;
		int batch = 32;
		var key = new ExecutorModels.Key(model.toAbsolutePath().toString(), sae.toAbsolutePath().toString(), "cpu", false,
				context);
		ShardEncoder encoder = ExecutorModels.encoder(key);
		var tok = encoder.model().tokenizer();
		CorpusShards windows = new CorpusShards(Corpus.documents(Path.of(args[2])), t -> tok.encode(t, false),
				tok.bosId(), context, tokens);
		StatsSettings settings = StatsSettings.defaults(context);
		ShardTask task = new ShardTask(key, ShippableSettings.of(settings), batch, -1);
		task.statistics(windows.shards(batch).get(0)); // warm-up: JIT and the model's first batch
		String[] modes = { "single", "local[1]", "local[2]" };
		List<List<double[]>> results = new ArrayList<>();
		for (int m = 0; m < modes.length; m++) {
			results.add(new ArrayList<>());
		}
		System.out.printf("%d tokens, %d windows of %d, %d rounds%n", windows.tokenCount(), windows.windowCount(), context,
				rounds);
		for (int r = 0; r < rounds; r++) {
			for (int i = 0; i < modes.length; i++) {
				int m = (i + r) % modes.length;
				double[] run = m == 0 ? single(task, windows) : spark(modes[m], task, windows, encoder.dSae());
				results.get(m).add(run);
				System.out.printf("round %d %-9s start %.1f s  pass %.1f s = %,.0f tok/s  cpu %.1f s = %,.0f tok/cpu-s  "
						+ "load average %.1f%n", r, modes[m], run[0], run[1], windows.tokenCount() / run[1], run[2],
						windows.tokenCount() / run[2], ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
			}
		}
		System.out.println("medians over " + rounds + " rounds (min–max)");
		System.out.println("| mode | Spark start (s) | pass (s) | tokens/s | process CPU (s) | tokens per CPU-second |");
		System.out.println("|---|---|---|---|---|---|");
		long n = windows.tokenCount();
		for (int m = 0; m < modes.length; m++) {
			List<double[]> runs = results.get(m);
			System.out.printf("| %s | %s | %s | %s | %s | %s |%n", modes[m], spread(runs, 0, 1, 1), spread(runs, 1, 1, 1),
					spread(runs, 1, n, 0), spread(runs, 2, 1, 1), spread(runs, 2, n, 0));
		}
	}

	private static double[] single(ShardTask task, CorpusShards windows) {
		long cpu0 = cpuNanos();
		long t0 = System.nanoTime();
		task.statistics(windows.shards(Integer.MAX_VALUE).get(0));
		return new double[] { 0, (System.nanoTime() - t0) / 1e9, (cpuNanos() - cpu0) / 1e9 };
	}

	private static double[] spark(String master, ShardTask task, CorpusShards windows, int dSae) throws Exception {
		long cpu0 = cpuNanos();
		long t0 = System.nanoTime();
		SparkConf conf = new SparkConf().setAppName("lumen pass benchmark").setMaster(SparkExtraction.withRetries(master))
			.set("spark.ui.enabled", "false");
		try (JavaSparkContext spark = new JavaSparkContext(conf)) {
			spark.setLogLevel("WARN");
			long t1 = System.nanoTime();
			Path dir = Files.createTempDirectory("lumen-bench");
			int blockFeatures = 16384; // the default of lumen extract --spark
			var checkpoint = new BlockCheckpoint(dir, windows.windowsHash(), 4 * 32, task.settings().toStats(), dSae,
					blockFeatures);
			int round = new SparkCorpusPass(spark, task, 4 * spark.defaultParallelism(), blockFeatures, 0, () -> {
			}).run(windows.shards(4 * 32), windows.tokenCount(), checkpoint, p -> {
			});
			checkpoint.publish(dir.resolve("result"), round, task.settings().toStats());
			long t2 = System.nanoTime();
			return new double[] { (t1 - t0) / 1e9, (t2 - t1) / 1e9, (cpuNanos() - cpu0) / 1e9 };
		}
	}

	private static long cpuNanos() {
		return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
	}

	/** "median (min–max)" of column i, or of numerator / column i when numerator is not 1 (rates). */
	private static String spread(List<double[]> runs, int i, double numerator, int decimals) {
		double[] v = runs.stream().mapToDouble(r -> numerator == 1 ? r[i] : numerator / r[i]).sorted().toArray();
		double median = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
		String f = "%,." + decimals + "f";
		return String.format(f + " (" + f + "–" + f + ")", median, v[0], v[v.length - 1]);
	}

}
