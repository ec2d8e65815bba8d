package dev.lumen.extraction;

import dev.lumen.stats.FeatureResults;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The job-row side of a Spark corpus pass: one {@code job} row for the whole extraction, its progress and
 * {@code tokens_done} following the shards the Spark job has finished, and a checkpoint entry naming the Spark
 * job's checkpoint directory, so a rerun of the same inputs resumes the same job from the shards already merged.
 */
final class SparkPass {

	/** The job checkpoint key that marks a Spark pass (a local pass never reads its state). */
	static final String CHECKPOINT_KEY = "spark_dir";

	private final JdbcTemplate jdbc;

	private final Path dataDir;

	SparkPass(JdbcTemplate jdbc, Path dataDir) {
		this.jdbc = jdbc;
		this.dataDir = dataDir;
	}

	/** Spark checkpoints of job N live in {@code <data dir>/extract/spark-job-N} (the driver runs here). */
	Path checkpointDir(long jobId) {
		return this.dataDir.resolve("extract").resolve("spark-job-" + jobId).toAbsolutePath().normalize();
	}

	/** @return the merged statistics, feature block by feature block, read from disk as the writer reaches them */
	Iterable<FeatureResults> run(ExtractionService.Request request, CorpusWindows windows, int dSae, long jobId,
			ExtractionService.Throughput speed, Consumer<ExtractionProgress> progress) {
		Path dir = checkpointDir(jobId);
		Path manifest = dir.resolve("manifest.properties");
		int[] resumedFrom = { -1 };
		long[] lastTokens = { 0 };
		speed.resume();
		var result = SparkCorpusRun.run(request, request.spark(), windows, dSae, dir, p -> {
			long shardsDone = p[0];
			long shards = p[1];
			long tokensDone = p[2];
			int windowsDone = (int) Math.round(windows.size() * (double) shardsDone / Math.max(1, shards));
			if (resumedFrom[0] < 0) {
				resumedFrom[0] = windowsDone;
				lastTokens[0] = tokensDone;
			}
			speed.add(tokensDone - lastTokens[0]);
			lastTokens[0] = tokensDone;
			if (Files.isRegularFile(manifest)) {
				this.jdbc.update("UPDATE job SET checkpoint = ?::jsonb, progress = ?, tokens_done = ?, updated_at = now() "
						+ "WHERE id = ?", json(dir, manifest), shardsDone / (double) Math.max(1, shards), tokensDone, jobId);
			}
			progress.accept(new ExtractionProgress(jobId, 1, windowsDone, windows.size(), windows.tokenCount(),
					speed.tokensPerSecond(), Math.max(0, resumedFrom[0])));
		});
		speed.pause();
		return result.blocks();
	}

	private static String json(Path dir, Path manifest) {
		return "{\"" + CHECKPOINT_KEY + "\": \"" + escape(dir.toString()) + "\", \"file\": \"" + escape(manifest.toString())
				+ "\", \"next_window\": 0}";
	}

	private static String escape(String s) {
		return s.replace("\\", "\\\\").replace("\"", "\\\"");
	}

	/** Removes a finished job's Spark checkpoint directory; quiet, like the local checkpoint's removal. */
	static void deleteQuietly(String dir) {
		if (dir == null) {
			return;
		}
		try (Stream<Path> files = Files.walk(Path.of(dir))) {
			files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
		}
		catch (IOException | RuntimeException ex) {
			// a leftover directory costs disk space only
		}
	}
}
