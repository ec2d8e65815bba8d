package dev.lumen.extraction;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lumen.catalog.CatalogImporter;
import dev.lumen.catalog.CatalogModel;
import dev.lumen.catalog.CatalogSae;
import dev.lumen.engine.model.LanguageModel;
import dev.lumen.engine.sae.Sae;
import dev.lumen.engine.sae.training.Corpus;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import javax.sql.DataSource;
import dev.lumen.stats.FeatureResults;
import dev.lumen.stats.FeatureStatistics;
import dev.lumen.stats.MemoryEstimate;
import dev.lumen.stats.StatsSettings;
import dev.lumen.stats.WindowActivations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * Runs an extraction as a job: registers the model and SAE, reads the corpus once through model + SAE (sparse
 * activations into the mergeable statistics of {@code dev.lumen.stats}), and stores the results. Progress is committed to the {@code job} row with a checkpoint file after every chunk of
 * windows; a run that finds an unfinished job with the same inputs resumes it from the last checkpoint, which
 * gives exactly the results of an uninterrupted run (the statistics do not depend on where a run stopped).
 * A PostgreSQL advisory lock per SAE keeps two extractions of one SAE from running at once.
 */
@Service
public class ExtractionService {

	private static final Logger log = LoggerFactory.getLogger(ExtractionService.class);

	private static final ObjectMapper JSON = new ObjectMapper();

	/** Advisory-lock namespace of extraction jobs ("LUMX"). */
	private static final int LOCK_CLASS = 0x4C554D58;

	private final CatalogImporter importer;

	private final ExtractionWriter writer;

	private final JdbcTemplate jdbc;

	private final DataSource dataSource;

	private final Path dataDir;

	public ExtractionService(CatalogImporter importer, ExtractionWriter writer, JdbcTemplate jdbc, DataSource dataSource,
			@Value("${lumen.data-dir:.lumen}") Path dataDir) {
		this.importer = importer;
		this.writer = writer;
		this.jdbc = jdbc;
		this.dataSource = dataSource;
		this.dataDir = dataDir;
	}

	/**
	 * What to extract.
	 * @param model model file or directory
	 * @param sae SAELens directory
	 * @param corpus text file, JSONL file or directory
	 * @param modelName URL name of the model, null to derive it from the path
	 * @param saeName URL name of the SAE, null to derive it from the path
	 */
	public record Request(Path model, Path sae, Path corpus, String modelName, String saeName,
			ExtractionSettings settings, Device device, SparkOptions spark) {

		/** A local corpus pass. */
		public Request(Path model, Path sae, Path corpus, String modelName, String saeName, ExtractionSettings settings,
				Device device) {
			this(model, sae, corpus, modelName, saeName, settings, device, null);
		}
	}

	/**
	 * What a finished extraction did; {@code alreadyDone} when these inputs had been extracted before. Each phase
	 * has its own time: {@code registerSeconds} (model, SAE rows, decoder vectors and index; 0 when registered
	 * before), {@code passSeconds} over {@code passTokens} (the corpus pass of this process: forward + encode +
	 * statistics), {@code logitSeconds}, {@code storeSeconds} (the database load).
	 */
	public record Outcome(long jobId, String modelName, String saeName, long tokens, int windows, boolean resumed,
			double seconds, boolean alreadyDone, double registerSeconds, long passTokens, double passSeconds,
			double logitSeconds, double storeSeconds) {

		/** @return corpus tokens per second of the pass alone */
		public double passTokensPerSecond() {
			return this.passSeconds > 0 ? this.passTokens / this.passSeconds : 0;
		}
	}

	/**
	 * Throughput of the model forward and SAE encode alone over the first windows of the corpus, the same batch
	 * shape as an extraction: the baseline an extraction's own throughput is compared with.
	 * @return tokens per second
	 */
	public double baselineTokensPerSecond(Request request, int windowCount) {
		List<String> documents = readCorpus(request.corpus());
		try (LanguageModel model = LanguageModel.load(request.model(), request.device());
				Sae sae = Sae.loadFromDisk(request.sae(), request.device());
				NDManager manager = NDManager.newBaseManager(request.device())) {
			ExtractionSettings settings = request.settings();
			ModelSaeActivations source = new ModelSaeActivations(model, sae, settings.contextSize(), manager);
			CorpusWindows windows = new CorpusWindows(documents, text -> model.tokenizer().encode(text, false),
					model.tokenizer().bosId(), settings.contextSize(), settings.maxTokens());
			int n = Math.min(windowCount, windows.size());
			source.activations(windows.windows().subList(0, Math.min(n, settings.batchSize()))); // warm-up
			long tokens = 0;
			long start = System.nanoTime();
			for (int w = 0; w < n; w += settings.batchSize()) {
				List<CorpusWindows.Window> batch = windows.windows().subList(w, Math.min(n, w + settings.batchSize()));
				source.activations(batch);
				for (CorpusWindows.Window win : batch) {
					tokens += win.tokens().length - 1;
				}
			}
			return tokens / ((System.nanoTime() - start) / 1e9);
		}
	}

	/**
	 * Extracts, resuming an unfinished job with the same inputs.
	 * @param force extract even when a finished job with the same inputs exists
	 */
	public Outcome extract(Request request, boolean force, Consumer<ExtractionProgress> progress) {
		long started = System.nanoTime();
		List<String> documents = readCorpus(request.corpus());
		log.info("read {} documents in {} s", documents.size(), since(started));
		try (LanguageModel model = LanguageModel.load(request.model(), request.device());
				Sae sae = Sae.loadFromDisk(request.sae(), request.device());
				NDManager manager = NDManager.newBaseManager(request.device())) {
			ExtractionSettings settings = request.settings();
			StatsSettings statsSettings = settings.statsSettings();
			requireMemory(statsSettings, sae.config().dSae(), settings.memoryMb());
			ModelSaeActivations source = new ModelSaeActivations(model, sae, settings.contextSize(), manager);
			log.info("loaded model and SAE at {} s", since(started));
			CorpusWindows windows = new CorpusWindows(documents, text -> model.tokenizer().encode(text, false),
					model.tokenizer().bosId(), settings.contextSize(), settings.maxTokens());
			log.info("tokenized {} tokens into {} windows at {} s", windows.tokenCount(), windows.size(), since(started));
			String modelName = request.modelName() != null ? request.modelName()
					: CatalogImporter.slug(request.model().toAbsolutePath().normalize().getFileName().toString());
			String saeName = request.saeName() != null ? request.saeName()
					: CatalogImporter.slug(request.sae().toAbsolutePath().normalize().getFileName().toString());
			long registerStart = System.nanoTime();
			CatalogModel modelRow = this.importer.importModel(model, modelName);
			CatalogSae saeRow = this.importer.importSae(modelRow, sae, request.sae(), saeName);
			double registerSeconds = (System.nanoTime() - registerStart) / 1e9;
			String fingerprint = fingerprint(settings, request, documents, saeRow);
			log.info("registered {}/{} in {} s", modelName, saeName, String.format("%.1f", registerSeconds));
			if (!force) {
				List<Long> done = this.jdbc.queryForList("SELECT id FROM job WHERE kind = 'extract' AND sae_id = ? AND "
						+ "status = 'done' AND params->>'fingerprint' = ? ORDER BY id DESC LIMIT 1", Long.class, saeRow.getId(),
						fingerprint);
				if (!done.isEmpty()) {
					return new Outcome(done.get(0), modelName, saeName, windows.tokenCount(), windows.size(), false,
							(System.nanoTime() - started) / 1e9, true, registerSeconds, 0, 0, 0, 0);
				}
			}

			try (SaeLock lock = SaeLock.acquire(this.dataSource, saeRow)) {
				Job job = openJob(saeRow, fingerprint, request, windows);
				// a Spark pass leaves its result on disk in feature blocks: this process never holds all of them
				FeatureStatistics stats = request.spark() != null ? null
						: new FeatureStatistics(statsSettings, sae.config().dSae());
				Iterable<? extends FeatureResults> results = stats == null ? List.of() : List.of(stats);
				int from = 0;
				if (stats != null && job.checkpoint() != null && !job.checkpoint().has(SparkPass.CHECKPOINT_KEY)) {
					from = job.checkpoint().path("next_window").asInt();
					readState(Path.of(job.checkpoint().path("file").asText()), stats);
					log.info("resuming extraction job {} at window {} of {}", job.id(), from, windows.size());
				}
				try {
					Throughput speed = new Throughput();
					if (request.spark() != null) {
						results = new SparkPass(this.jdbc, this.dataDir).run(request, windows, sae.config().dSae(), job.id(), speed,
								progress);
					}
					else {
						runPass(settings, from, windows, source, stats, job, speed, progress);
					}
					double passSeconds = speed.seconds();
					progress.accept(new ExtractionProgress(job.id(), 2, windows.size(), windows.size(), windows.tokenCount(),
							speed.tokensPerSecond(), from));
					long logitStart = System.nanoTime();
					LogitEffects.Effects[] logits = LogitEffects.compute(model, sae, settings.logitTokens());
					long storeStart = System.nanoTime();
					progress.accept(new ExtractionProgress(job.id(), 3, windows.size(), windows.size(), windows.tokenCount(),
							speed.tokensPerSecond(), from));
					this.writer.write(new ExtractionWriter.Results(modelRow, saeRow,
							request.corpus().getFileName().toString(), model.tokenizer(), windows, results, sae.config().dSae(), logits,
							settings));
					long storeEnd = System.nanoTime();
					finishJob(job);
					return new Outcome(job.id(), modelName, saeName, windows.tokenCount(), windows.size(),
							job.checkpoint() != null, (System.nanoTime() - started) / 1e9, false, registerSeconds,
							speed.tokens(), passSeconds, (storeStart - logitStart) / 1e9, (storeEnd - storeStart) / 1e9);
				}
				catch (RuntimeException ex) {
					this.jdbc.update("UPDATE job SET status = 'failed', error = ?, updated_at = now() WHERE id = ?",
							String.valueOf(ex.getMessage()), job.id());
					throw ex;
				}
			}
		}
	}

	/** Refuses before any work when the per-feature state could outgrow its budget. */
	static void requireMemory(StatsSettings settings, int dSae, long memoryMb) {
		long budget = memoryMb > 0 ? memoryMb << 20 : Runtime.getRuntime().maxMemory() / 4 * 3;
		MemoryEstimate estimate = MemoryEstimate.of(settings, dSae);
		estimate.requireWithin(budget, dSae, settings);
		log.info("statistics state of {} features: up to {} MiB (budget {} MiB)", dSae, estimate.totalBytes() >> 20,
				budget >> 20);
	}

	/** The one pass over the corpus: every window is read once; sparse activations go straight into the partial. */
	private void runPass(ExtractionSettings s, int from, CorpusWindows windows, ActivationSource source,
			FeatureStatistics stats, Job job, Throughput speed, Consumer<ExtractionProgress> progress) {
		int batchSize = s.batchSize();
		int sinceCheckpoint = 0;
		for (int w = from; w < windows.size(); w += batchSize) {
			List<CorpusWindows.Window> batch = windows.windows().subList(w, Math.min(windows.size(), w + batchSize));
			for (WindowActivations acts : source.activations(batch)) {
				stats.add(acts);
			}
			int done = w + batch.size();
			long tokens = 0;
			for (CorpusWindows.Window win : batch) {
				tokens += win.tokens().length - 1;
			}
			speed.add(tokens);
			sinceCheckpoint += batch.size();
			if (sinceCheckpoint >= s.checkpointWindows() && done < windows.size()) {
				speed.pause();
				checkpoint(job, stats, done, windows);
				speed.resume();
				sinceCheckpoint = 0;
			}
			progress.accept(new ExtractionProgress(job.id(), 1, done, windows.size(), windows.tokenCount(),
					speed.tokensPerSecond(), from));
		}
		speed.pause();
	}

	/** State file first (atomically), then the job row that points at it: a crash between leaves the old pair. */
	private void checkpoint(Job job, FeatureStatistics stats, int nextWindow, CorpusWindows windows) {
		Path dir = this.dataDir.resolve("extract");
		Path file = dir.resolve("job-" + job.id() + "-" + nextWindow + ".state");
		try {
			Files.createDirectories(dir);
			Path tmp = Files.createTempFile(dir, "state", ".tmp");
			try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20))) {
				stats.write(out);
			}
			Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot write the extraction checkpoint " + file + ": " + ex.getMessage(), ex);
		}
		String previous = this.jdbc.queryForObject("SELECT checkpoint->>'file' FROM job WHERE id = ?", String.class, job.id());
		double fraction = nextWindow / (double) windows.size();
		long tokensDone = (long) (fraction * windows.tokenCount());
		this.jdbc.update("UPDATE job SET checkpoint = ?::jsonb, progress = ?, tokens_done = ?, updated_at = now() "
				+ "WHERE id = ?", json(Map.of("next_window", nextWindow, "file", file.toString())), fraction, tokensDone,
				job.id());
		deleteQuietly(previous);
	}

	private static void readState(Path file, FeatureStatistics stats) {
		try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 20))) {
			stats.read(in);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot resume: the checkpoint " + file + " is unreadable (" + ex.getMessage()
					+ "); delete the unfinished job or its file to start over", ex);
		}
	}

	record Job(long id, JsonNode checkpoint) {
	}

	/** Resumes the newest unfinished job with the same inputs, or starts a new one. */
	private Job openJob(CatalogSae sae, String fingerprint, Request request, CorpusWindows windows) {
		List<Job> resumable = this.jdbc.query("SELECT id, checkpoint::text FROM job WHERE kind = 'extract' AND sae_id = ? "
				+ "AND status IN ('running', 'failed') AND checkpoint IS NOT NULL AND params->>'fingerprint' = ? "
				+ "ORDER BY id DESC LIMIT 1", (rs, n) -> new Job(rs.getLong(1), parse(rs.getString(2))), sae.getId(),
				fingerprint);
		// we hold the SAE's lock, so any job still marked running was interrupted
		this.jdbc.update("UPDATE job SET status = 'failed', error = coalesce(error, 'interrupted'), updated_at = now() "
				+ "WHERE kind = 'extract' AND sae_id = ? AND status = 'running'", sae.getId());
		if (!resumable.isEmpty() && Files.isRegularFile(Path.of(resumable.get(0).checkpoint().path("file").asText()))) {
			Job job = resumable.get(0);
			this.jdbc.update("UPDATE job SET status = 'running', error = NULL, updated_at = now() WHERE id = ?", job.id());
			return job;
		}
		Long id = this.jdbc.queryForObject("INSERT INTO job (kind, status, sae_id, params) VALUES ('extract', 'running', ?, "
				+ "?::jsonb) RETURNING id", Long.class, sae.getId(), json(Map.of("fingerprint", fingerprint, "model",
						request.model().toString(), "sae", request.sae().toString(), "corpus", request.corpus().toString(),
						"windows", windows.size(), "tokens", windows.tokenCount(), "settings", request.settings().toString())));
		return new Job(id, null);
	}

	private void finishJob(Job job) {
		String file = this.jdbc.queryForObject("SELECT checkpoint->>'file' FROM job WHERE id = ?", String.class, job.id());
		SparkPass.deleteQuietly(this.jdbc.queryForObject("SELECT checkpoint->>'" + SparkPass.CHECKPOINT_KEY + "' FROM job "
				+ "WHERE id = ?", String.class, job.id()));
		this.jdbc.update("UPDATE job SET status = 'done', progress = 1, checkpoint = NULL, error = NULL, "
				+ "updated_at = now(), finished_at = now() WHERE id = ?", job.id());
		deleteQuietly(file);
	}

	/** The corpus as documents; names the file when it is not UTF-8 text. */
	static List<String> readCorpus(Path corpus) {
		try {
			List<String> documents = Corpus.documents(corpus);
			for (int d = 0; d < documents.size(); d++) {
				if (documents.get(d).indexOf('\0') >= 0) {
					throw new IllegalArgumentException("corpus " + corpus + ": document " + (d + 1) + " contains NUL bytes; "
							+ "this looks like a binary file, not text (the corpus must be UTF-8 text or JSONL)");
				}
			}
			return documents;
		}
		catch (UncheckedIOException ex) {
			if (ex.getCause() instanceof CharacterCodingException) {
				throw new IllegalArgumentException(ex.getMessage() + ": the corpus must be UTF-8 text", ex);
			}
			throw ex;
		}
	}

	/** Same settings, model, SAE weights and corpus text: only then may a checkpoint be reused. */
	private static String fingerprint(ExtractionSettings settings, Request request, List<String> documents,
			CatalogSae sae) {
		try {
			MessageDigest sha = MessageDigest.getInstance("SHA-256");
			sha.update(settings.toString().getBytes(StandardCharsets.UTF_8));
			sha.update(request.model().toAbsolutePath().normalize().toString().getBytes(StandardCharsets.UTF_8));
			sha.update(sae.getHookName().getBytes(StandardCharsets.UTF_8));
			// the importer stored (or checked) the weights' hash in the SAE's config: no need to hash the file again
			sha.update(parse(sae.getConfig()).path("lumen_weights_id").asText().getBytes(StandardCharsets.UTF_8));
			for (String doc : documents) {
				sha.update(doc.getBytes(StandardCharsets.UTF_8));
				sha.update((byte) 0);
			}
			return HexFormat.of().formatHex(sha.digest());
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String since(long start) {
		return String.format("%.1f", (System.nanoTime() - start) / 1e9);
	}

	private static JsonNode parse(String text) {
		try {
			return text == null ? null : JSON.readTree(text);
		}
		catch (IOException ex) {
			throw new IllegalStateException("unreadable job checkpoint: " + text, ex);
		}
	}

	private static String json(Object value) {
		try {
			return JSON.writeValueAsString(value);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static void deleteQuietly(String file) {
		if (file != null) {
			try {
				Files.deleteIfExists(Path.of(file));
			}
			catch (IOException ex) {
				log.warn("could not delete old checkpoint {}: {}", file, ex.getMessage());
			}
		}
	}

	/** Tokens per second of the corpus pass alone: the clock stops while checkpoints are written. */
	static final class Throughput {

		private long started = System.nanoTime();

		private long elapsed;

		private boolean running = true;

		private long tokens;

		void add(long n) {
			this.tokens += n;
		}

		void pause() {
			if (this.running) {
				this.elapsed += System.nanoTime() - this.started;
				this.running = false;
			}
		}

		void resume() {
			if (!this.running) {
				this.started = System.nanoTime();
				this.running = true;
			}
		}

		long tokens() {
			return this.tokens;
		}

		double seconds() {
			return (this.elapsed + (this.running ? System.nanoTime() - this.started : 0)) / 1e9;
		}

		double tokensPerSecond() {
			double s = seconds();
			return s > 0 ? this.tokens / s : 0;
		}
	}

	/** A session-level advisory lock on one SAE, held on its own connection for the whole run. */
	static final class SaeLock implements AutoCloseable {

		private final Connection connection;

		private final long saeId;

		private SaeLock(Connection connection, long saeId) {
			this.connection = connection;
			this.saeId = saeId;
		}

		static SaeLock acquire(DataSource dataSource, CatalogSae sae) {
			try {
				Connection c = dataSource.getConnection();
				try (PreparedStatement st = c.prepareStatement("SELECT pg_try_advisory_lock(?, ?)")) {
					st.setInt(1, LOCK_CLASS);
					st.setInt(2, (int) (long) sae.getId());
					try (ResultSet rs = st.executeQuery()) {
						rs.next();
						if (!rs.getBoolean(1)) {
							c.close();
							throw new IllegalStateException("another extraction of SAE '" + sae.getName()
									+ "' is running; wait for it to finish (its job row shows progress)");
						}
					}
				}
				return new SaeLock(c, sae.getId());
			}
			catch (SQLException ex) {
				throw new IllegalStateException("cannot lock SAE " + sae.getName() + ": " + ex.getMessage(), ex);
			}
		}

		@Override
		public void close() {
			try (PreparedStatement st = this.connection.prepareStatement("SELECT pg_advisory_unlock(?, ?)")) {
				st.setInt(1, LOCK_CLASS);
				st.setInt(2, (int) this.saeId);
				st.execute();
			}
			catch (SQLException ex) {
				log.warn("could not release the extraction lock of SAE {}: {}", this.saeId, ex.getMessage());
			}
			finally {
				try {
					this.connection.close();
				}
				catch (SQLException ignored) {
					// closing the session releases its advisory locks anyway
				}
			}
		}
	}
}
