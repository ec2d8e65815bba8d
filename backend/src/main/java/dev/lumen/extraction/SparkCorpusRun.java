package dev.lumen.extraction;

import dev.lumen.stats.FeatureBlockFiles;
import dev.lumen.stats.FeatureResults;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The corpus pass of {@code lumen extract --spark MASTER}: starts the Spark job of the {@code spark/} module as a
 * child process (through {@code $SPARK_HOME/bin/spark-submit} when SPARK_HOME is set, else, for {@code local[N]}
 * only, a plain {@code java} with the module's build classpath, so the web app never carries Spark), turns its
 * progress lines into the job's progress, checks that it cut the corpus into the same windows, and reads back the
 * merged partial statistics; logit effects and the database load then run exactly as for a local pass.
 */
final class SparkCorpusRun {

	private static final Logger log = LoggerFactory.getLogger(SparkCorpusRun.class);

	/** Spark on Java 17 opens these JDK packages (Spark's own JavaModuleOptions). */
	static final List<String> JAVA_17_OPENS = List.of("java.lang", "java.lang.invoke", "java.lang.reflect", "java.io",
			"java.net", "java.nio", "java.util", "java.util.concurrent", "java.util.concurrent.atomic", "jdk.internal.ref",
			"sun.nio.ch", "sun.nio.cs", "sun.security.action", "sun.util.calendar");

	private static final Pattern PROGRESS = Pattern
		.compile("LUMEN-PROGRESS shards=(\\d+)/(\\d+) tokens=(\\d+)/(\\d+) rate=(\\d+)");

	private static final Pattern RESULT = Pattern.compile("LUMEN-RESULT windows=(\\d+) tokens=(\\d+) windows_hash=(\\w+) out=(.+)");

	/** What the Spark job reported back; its blocks are read from disk one at a time as a writer reaches them. */
	record Result(long tokensThisRun, double seconds, Iterable<FeatureResults> blocks) {
	}

	private SparkCorpusRun() {
	}

	/**
	 * Runs the pass; its merged result stays on disk, one file per feature block.
	 * @param checkpointDir the job's Spark checkpoint directory (a restarted job resumes from it)
	 * @param onProgress shards done → fraction of the corpus and tokens done, for the job row and the CLI
	 */
	static Result run(ExtractionService.Request request, SparkOptions spark, CorpusWindows windows, int dSae,
			Path checkpointDir, Consumer<long[]> onProgress) {
		ExtractionSettings s = request.settings();
		var st = s.statsSettings();
		Path out = checkpointDir.resolve("result");
		List<String> args = new ArrayList<>(List.of("--model", abs(request.model()), "--sae", abs(request.sae()), "--corpus",
				abs(request.corpus()), "--out", abs(out), "--checkpoint-dir", abs(checkpointDir), "--device", spark.device(),
				"--context", Integer.toString(s.contextSize()), "--batch", Integer.toString(s.batchSize()), "--tokens",
				Long.toString(s.maxTokens()), "--shard-batches", Integer.toString(spark.shardBatches()), "--block-features",
				Integer.toString(spark.blockFeatures()), "--top-k",
				Integer.toString(st.topK()), "--intervals", Integer.toString(st.intervals()), "--per-interval",
				Integer.toString(st.perInterval()), "--zero-samples", Integer.toString(st.zeroSamples()), "--zero-candidates",
				Integer.toString(st.zeroCandidates()), "--histogram-bins-per-octave",
				Integer.toString(st.histogramBinsPerOctave()), "--bands-per-octave", Integer.toString(st.bandsPerOctave()),
				"--partner-cap", Integer.toString(st.partnerCap()), "--seed", Long.toString(st.seed())));
		if (st.includeBos()) {
			args.add("--include-bos");
		}
		if (spark.shipFiles()) {
			args.add("--ship-files");
		}
		args.addAll(testHooks());
		List<String> command = command(spark, args);
		log.info("starting the Spark job: {}", String.join(" ", command));
		long start = System.nanoTime();
		long tokensAtStart = -1;
		long tokensDone = 0;
		String[] result = null;
		try {
			Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
			try (BufferedReader lines = new BufferedReader(
					new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
				for (String line; (line = lines.readLine()) != null;) {
					Matcher p = PROGRESS.matcher(line);
					Matcher r = RESULT.matcher(line);
					if (p.matches()) {
						tokensDone = Long.parseLong(p.group(3));
						tokensAtStart = tokensAtStart < 0 ? tokensDone : tokensAtStart;
						onProgress.accept(new long[] { Long.parseLong(p.group(1)), Long.parseLong(p.group(2)), tokensDone,
								Long.parseLong(p.group(4)) });
					}
					else if (r.matches()) {
						result = new String[] { r.group(1), r.group(2), r.group(3), r.group(4) };
					}
					else {
						log.info("spark: {}", line);
					}
				}
			}
			int rc = process.waitFor();
			if (rc != 0 || result == null) {
				throw new IllegalStateException("the Spark job failed (exit status " + rc + "); its log is above. Run the "
						+ "same command again to resume from the shards it finished (" + checkpointDir + ")");
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot start the Spark job (" + command.get(0) + "): " + ex.getMessage(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while the Spark job ran", ex);
		}
		requireSameWindows(windows, result);
		Iterable<FeatureResults> blocks = FeatureBlockFiles.reading(FeatureBlockFiles.list(Path.of(result[3])), st, dSae);
		return new Result(tokensDone - Math.max(0, tokensAtStart), (System.nanoTime() - start) / 1e9, blocks);
	}

	/** Exact or refused: the driver must have cut the corpus into the windows this process stores as contexts. */
	private static void requireSameWindows(CorpusWindows windows, String[] result) {
		String ours = windowsHash(windows);
		if (Integer.parseInt(result[0]) != windows.size() || !ours.equals(result[2])) {
			throw new IllegalStateException("the Spark job cut the corpus into " + result[0] + " windows (hash " + result[2]
					+ "), this process into " + windows.size() + " (hash " + ours + "); its statistics would not match the "
					+ "stored contexts, so nothing is stored");
		}
	}

	/** SHA-256 over the window count and each window's length and tokens (the Spark module's CorpusShards.hash). */
	static String windowsHash(CorpusWindows windows) {
		try {
			MessageDigest md = MessageDigest.getInstance("SHA-256");
			md.update(ByteBuffer.allocate(4).putInt(0, windows.size()).array());
			for (CorpusWindows.Window w : windows.windows()) {
				ByteBuffer buf = ByteBuffer.allocate(4 * (w.tokens().length + 1)).putInt(w.tokens().length);
				for (int t : w.tokens()) {
					buf.putInt(t);
				}
				md.update(buf.array());
			}
			return HexFormat.of().formatHex(md.digest());
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is part of every Java runtime", ex);
		}
	}

	/** spark-submit when SPARK_HOME is set; otherwise java with the spark module's classpath, for local[N] only. */
	static List<String> command(SparkOptions spark, List<String> args) {
		String sparkHome = System.getenv("SPARK_HOME");
		List<String> cmd = new ArrayList<>();
		if (sparkHome != null && !sparkHome.isBlank()) {
			cmd.addAll(List.of(Path.of(sparkHome, "bin", "spark-submit").toString(), "--master", spark.master(),
					"--deploy-mode", "client", "--class", "dev.lumen.spark.SparkExtraction",
					"--driver-java-options", "-Dai.djl.offline=true"));
			for (String c : spark.conf()) {
				cmd.addAll(List.of("--conf", c));
			}
			cmd.add(SparkModuleFiles.submitJar().toString());
			cmd.addAll(args);
			return cmd;
		}
		if (!spark.master().startsWith("local")) {
			throw new IllegalArgumentException("--spark " + spark.master() + " needs spark-submit: set SPARK_HOME to a Spark "
					+ "4.x installation (without it only local[N] runs, in a child JVM); see docs/scale-out.md");
		}
		cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		cmd.addAll(List.of("-Dai.djl.offline=true", "--add-modules", "jdk.incubator.vector"));
		for (String pkg : JAVA_17_OPENS) {
			cmd.add("--add-opens=java.base/" + pkg + "=ALL-UNNAMED");
		}
		for (String c : spark.conf()) {
			cmd.add("-Dspark." + c.replaceFirst("^spark\\.", ""));
		}
		cmd.addAll(List.of("-cp", SparkModuleFiles.localClasspath(), "dev.lumen.spark.SparkExtraction", "--master",
				spark.master()));
		cmd.addAll(args);
		return cmd;
	}

	/** Test hooks of the Spark job, passed through from system properties (tests only). */
	private static List<String> testHooks() {
		Map<String, String> hooks = new LinkedHashMap<>();
		hooks.put("lumen.spark.test-fail-shard-once", "--test-fail-shard-once");
		hooks.put("lumen.spark.test-halt-after-rounds", "--test-halt-after-rounds");
		hooks.put("lumen.spark.round-shards", "--round-shards");
		List<String> out = new ArrayList<>();
		hooks.forEach((property, option) -> {
			String v = System.getProperty(property);
			if (v != null) {
				out.addAll(List.of(option, v));
			}
		});
		return out;
	}

	private static String abs(Path p) {
		return p.toAbsolutePath().normalize().toString();
	}
}
