package dev.lumen.cli;

import dev.lumen.engine.device.Devices;
import dev.lumen.extraction.ExtractionProgress;
import dev.lumen.extraction.ExtractionService;
import dev.lumen.extraction.ExtractionSettings;
import dev.lumen.extraction.SparkOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

/** {@code lumen extract}: corpus → model → SAE → per-feature statistics in PostgreSQL. */
@Command(name = "extract", mixinStandardHelpOptions = true,
		description = "Run a corpus through a model and an SAE and store per-feature statistics, examples, "
				+ "histograms, logit effects and co-occurrences. Resumes an interrupted run of the same inputs.")
public class ExtractCommand implements Callable<Integer> {

	@Option(names = "--model", required = true, description = "model file or directory (llama2.c .bin or Hugging Face)")
	Path model;

	@Option(names = "--sae", required = true, description = "SAE directory in SAELens format")
	Path sae;

	@Option(names = "--corpus", required = true, description = "text file (<|endoftext|> separates documents), JSONL with a text field, or a directory")
	Path corpus;

	@Option(names = "--tokens", defaultValue = "0", description = "corpus tokens to read, 0 for all (default: ${DEFAULT-VALUE})")
	long tokens;

	@Option(names = "--context", defaultValue = "128", description = "tokens per context window, BOS included; windows never "
			+ "span two documents (default: ${DEFAULT-VALUE}; the demo uses 64)")
	int context;

	@Option(names = "--include-bos", description = "count position 0 (BOS) in statistics and example ranking; by default it "
			+ "is excluded everywhere (an attention sink), while stored per-token values always show it")
	boolean includeBos;

	@Option(names = "--memory", defaultValue = "0", description = "MiB of heap the per-feature statistics may take; the run "
			+ "refuses up front when its estimate exceeds it (default: 75 % of the JVM's maximum heap)")
	long memoryMb;

	@Option(names = "--batch", defaultValue = "32", description = "windows per forward pass (default: ${DEFAULT-VALUE})")
	int batch;

	@Option(names = "--checkpoint-every", defaultValue = "4096",
			description = "windows between checkpoints an interrupted run resumes from (default: ${DEFAULT-VALUE})")
	int checkpointEvery;

	@Option(names = "--model-name", description = "URL name of the model (default: from the path)")
	String modelName;

	@Option(names = "--sae-name", description = "URL name of the SAE (default: from the path)")
	String saeName;

	@Option(names = "--device", defaultValue = "auto", description = "cpu, cuda, cuda:N or auto (default: ${DEFAULT-VALUE})")
	String device;

	@Option(names = "--force", description = "extract again even when these inputs were already extracted")
	boolean force;

	@Option(names = "--baseline", description = "first measure the bare forward + encode throughput over the same windows, "
			+ "and report the extraction's throughput against it (for benchmarks)")
	boolean baseline;

	@Option(names = "--spark", paramLabel = "MASTER", description = "run the corpus pass as an Apache Spark job on MASTER "
			+ "(local[N], spark://host:port, yarn, k8s://...): spark-submit from $SPARK_HOME, or a child JVM for local[N] "
			+ "without it; results, job row and database load as without it (docs/scale-out.md)")
	String spark;

	@Option(names = "--spark-conf", paramLabel = "KEY=VALUE", description = "a Spark setting for --spark, repeatable "
			+ "(e.g. spark.executor.memory=8g)")
	List<String> sparkConf = new ArrayList<>();

	@Option(names = "--spark-shard-batches", defaultValue = "8", description = "forward batches per Spark task (default: "
			+ "${DEFAULT-VALUE})")
	int sparkShardBatches;

	@Option(names = "--spark-block-features", defaultValue = "" + SparkOptions.DEFAULT_BLOCK_FEATURES,
			description = "features per block: Spark merges partials per feature block (one reduce task each) and the "
					+ "result is loaded block by block (default: ${DEFAULT-VALUE})")
	int sparkBlockFeatures;

	@Option(names = "--spark-ship-files", description = "ship the model and SAE to the executors with the job instead of "
			+ "reading their paths on every node")
	boolean sparkShipFiles;

	@Unmatched
	List<String> springArgs = new ArrayList<>();

	@Override
	public Integer call() {
		for (Path p : List.of(this.model, this.sae, this.corpus)) {
			if (!Files.exists(p)) {
				throw new IllegalArgumentException(p + " does not exist");
			}
		}
		ExtractionSettings settings = ExtractionSettings.defaults().withContext(this.context, this.batch)
			.withMaxTokens(this.tokens)
			.withCheckpointWindows(this.checkpointEvery)
			.withBosAndMemory(this.includeBos, this.memoryMb);
		var request = new ExtractionService.Request(this.model, this.sae, this.corpus, this.modelName, this.saeName,
				settings, Devices.parse(this.device), this.spark == null ? null
						: new SparkOptions(this.spark, this.sparkConf, this.sparkShardBatches,
								"auto".equals(this.device) ? "cpu" : this.device, this.sparkShipFiles, this.sparkBlockFeatures));
		try (ConfigurableApplicationContext context = SpringContexts.withoutWeb(this.springArgs.toArray(String[]::new))) {
			ExtractionService service = context.getBean(ExtractionService.class);
			double baselineRate = this.baseline ? service.baselineTokensPerSecond(request, Integer.MAX_VALUE) : 0;
			ProgressBar bar = new ProgressBar(System.err);
			ExtractionService.Outcome outcome = service.extract(request, this.force, p -> bar.draw(p.fraction(), status(p),
					p.pass() >= 3));
			bar.finish();
			System.out.println(outcome.alreadyDone()
					? "already extracted (job " + outcome.jobId() + "): " + outcome.modelName() + "/" + outcome.saeName()
							+ "; use --force to extract again"
					: String.format("extracted %s/%s: %,d tokens in %,d windows, %.1f s%s (job %d)", outcome.modelName(),
							outcome.saeName(), outcome.tokens(), outcome.windows(), outcome.seconds(),
							outcome.resumed() ? ", resumed from a checkpoint" : "", outcome.jobId()));
			if (!outcome.alreadyDone()) {
				System.out.printf("register %.1f s; corpus pass (one): %,d tokens in %.1f s = %,.0f tokens/s; logit effects "
						+ "%.1f s; database load %.1f s; peak heap %,d MiB%n", outcome.registerSeconds(), outcome.passTokens(),
						outcome.passSeconds(), outcome.passTokensPerSecond(), outcome.logitSeconds(), outcome.storeSeconds(),
						peakHeapBytes() >> 20);
				MapCommand.afterExtraction(context, outcome.modelName(), outcome.saeName(), this.device);
				if (this.baseline) {
					System.out.printf("baseline forward + encode: %,.0f tokens/s; the extraction pass reaches %.0f %% of it%n",
							baselineRate, 100 * outcome.passTokensPerSecond() / baselineRate);
				}
			}
			return 0;
		}
	}

	/** Sum of the peak usage of the heap's memory pools since the JVM started. */
	static long peakHeapBytes() {
		long peak = 0;
		for (var pool : java.lang.management.ManagementFactory.getMemoryPoolMXBeans()) {
			if (pool.getType() == java.lang.management.MemoryType.HEAP) {
				peak += pool.getPeakUsage().getUsed();
			}
		}
		return peak;
	}

	private static String status(ExtractionProgress p) {
		if (p.pass() >= 3) {
			return "storing results";
		}
		if (p.pass() == 2) {
			return "logit effects";
		}
		return String.format("corpus pass  %,d/%,d windows  %,.0f tok/s  ETA %s", p.windowsDone(), p.windows(),
				p.tokensPerSecond(), ProgressBar.duration(p.etaSeconds()));
	}
}
