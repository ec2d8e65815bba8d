package dev.lumen.cli;

import dev.lumen.engine.device.Devices;
import dev.lumen.extraction.ExtractionProgress;
import dev.lumen.extraction.ExtractionService;
import dev.lumen.extraction.ExtractionSettings;
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

	@Option(names = "--context", defaultValue = "64", description = "tokens per context window, BOS included (default: ${DEFAULT-VALUE})")
	int context;

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

	@Option(names = "--baseline", description = "first measure the bare forward + encode throughput on the same batches, "
			+ "and report the extraction's throughput against it (for benchmarks)")
	boolean baseline;

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
			.withCheckpointWindows(this.checkpointEvery);
		var request = new ExtractionService.Request(this.model, this.sae, this.corpus, this.modelName, this.saeName,
				settings, Devices.parse(this.device));
		try (ConfigurableApplicationContext context = SpringContexts.withoutWeb(this.springArgs.toArray(String[]::new))) {
			ExtractionService service = context.getBean(ExtractionService.class);
			double baselineRate = this.baseline ? service.baselineTokensPerSecond(request, 640) : 0;
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
				System.out.printf("passes: %,.0f tokens/s (2 passes); logit effects %.1f s; database load %.1f s; "
						+ "peak heap %,d MiB%n", outcome.passTokensPerSecond(), outcome.logitSeconds(), outcome.storeSeconds(),
						peakHeapBytes() >> 20);
				MapCommand.afterExtraction(context, outcome.modelName(), outcome.saeName(), this.device);
				if (this.baseline) {
					System.out.printf("baseline forward + encode: %,.0f tokens/s; extraction passes reach %.0f %% of it%n",
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
		return String.format("pass %d/2  %,d/%,d windows  %,.0f tok/s  ETA %s", p.pass(), p.windowsDone(), p.windows(),
				p.tokensPerSecond(), ProgressBar.duration(p.etaSeconds()));
	}
}
