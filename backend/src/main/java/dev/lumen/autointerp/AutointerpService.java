package dev.lumen.autointerp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * Labels an SAE's features in batch as a {@code job} (kind {@code autointerp}). Each feature's label is committed
 * on its own as soon as it is written, so an interrupted run loses nothing finished: a rerun skips every feature
 * that already has a label from the same explainer (unless forced). A PostgreSQL advisory lock per SAE keeps two
 * batches of one SAE from running at once.
 */
@Service
public class AutointerpService {

	private static final Logger log = LoggerFactory.getLogger(AutointerpService.class);

	private static final ObjectMapper JSON = new ObjectMapper();

	private final JdbcTemplate jdbc;

	private final DataSource dataSource;

	private final FeatureExampleReader reader;

	private final LabelStore labels;

	public AutointerpService(JdbcTemplate jdbc, DataSource dataSource, FeatureExampleReader reader, LabelStore labels) {
		this.jdbc = jdbc;
		this.dataSource = dataSource;
		this.reader = reader;
		this.labels = labels;
	}

	/**
	 * @param force label features again even when the explainer already labelled them (a new row each time)
	 * @param concurrency features explained at once (LLM calls in flight), at least 1
	 * @param scorers run on each new label before it is stored; a failing scorer fails the feature
	 */
	public record Request(String modelName, String saeName, FeatureSelection features, Explainer explainer,
			List<Scorer> scorers, boolean force, int concurrency) {

		public Request {
			scorers = List.copyOf(scorers);
			if (concurrency < 1) {
				throw new IllegalArgumentException("concurrency must be at least 1, got " + concurrency);
			}
		}
	}

	/**
	 * @param skipped features that already had a label by this explainer
	 * @param noExamples features that never fired (nothing to explain; no label stored)
	 * @param failed features whose explanation failed (no label stored; a rerun tries them again)
	 */
	public record Outcome(long jobId, int selected, int labelled, int skipped, int noExamples, int failed,
			String firstError) {
	}

	record Sae(long id, int dSae) {
	}

	/**
	 * A dry run's answer: what {@link #run} would do, without calling anything or writing anything.
	 * @param toLabel features that would be explained (selected, not yet labelled, and fired at least once)
	 */
	public record Plan(int selected, int skipped, int toLabel, int noExamples, CallEstimate explain, CallEstimate score) {
	}

	/** Counts the features and language-model calls {@link #run} would make. */
	public Plan plan(Request request) {
		Sae sae = findSae(request.modelName(), request.saeName());
		List<Integer> selected = request.features().resolve(sae.dSae());
		Set<Integer> done = request.force() ? Set.of()
				: new HashSet<>(this.labels.labelledBy(sae.id(), request.explainer().name()));
		CallEstimate explain = CallEstimate.NONE;
		CallEstimate score = CallEstimate.NONE;
		int toLabel = 0;
		int noExamples = 0;
		for (int index : selected) {
			if (done.contains(index)) {
				continue;
			}
			FeatureExamples examples = this.reader.load(sae.id(), index);
			if (!examples.hasActivations()) {
				noExamples++;
				continue;
			}
			toLabel++;
			explain = explain.plus(request.explainer().estimate(examples));
			for (Scorer scorer : request.scorers()) {
				score = score.plus(scorer.estimate(examples));
			}
		}
		return new Plan(selected.size(), (int) selected.stream().filter(done::contains).count(), toLabel, noExamples,
				explain, score);
	}

	/** Runs the batch; the progress callback is called from worker threads, one call at a time. */
	public Outcome run(Request request, Consumer<AutointerpProgress> progress) {
		Sae sae = findSae(request.modelName(), request.saeName());
		List<Integer> selected = request.features().resolve(sae.dSae());
		try (SaeBatchLock lock = SaeBatchLock.acquire(this.dataSource, sae.id(), request.saeName())) {
			Set<Integer> done = request.force() ? Set.of()
					: new HashSet<>(this.labels.labelledBy(sae.id(), request.explainer().name()));
			List<Integer> todo = selected.stream().filter(i -> !done.contains(i)).toList();
			// we hold the SAE's lock, so a job still marked running was interrupted
			this.jdbc.update("UPDATE job SET status = 'failed', error = coalesce(error, 'interrupted'), updated_at = now() "
					+ "WHERE kind = 'autointerp' AND sae_id = ? AND status = 'running'", sae.id());
			Map<String, Object> params = new LinkedHashMap<>();
			params.put("model", request.modelName());
			params.put("sae", request.saeName());
			params.put("explainer", request.explainer().name());
			params.put("features", request.features().all() ? "all" : selected.size() + " selected");
			params.put("scorers", request.scorers().stream().map(Scorer::name).toList());
			params.put("force", request.force());
			long jobId = this.jdbc.queryForObject("INSERT INTO job (kind, status, sae_id, params) VALUES ('autointerp', "
					+ "'running', ?, ?::jsonb) RETURNING id", Long.class, sae.id(), json(params));
			Batch batch = new Batch(jobId, todo.size(), progress);
			try {
				batch.planned = distinctOfflineLabels(sae, todo, request.explainer());
				runAll(sae, todo, request, batch);
			}
			catch (RuntimeException | Error ex) {
				this.jdbc.update("UPDATE job SET status = 'failed', error = ?, updated_at = now() WHERE id = ?",
						String.valueOf(ex.getMessage()), jobId);
				throw ex;
			}
			String error = batch.failed == 0 ? null : batch.failed + " features failed; first: " + batch.firstError;
			this.jdbc.update("UPDATE job SET status = ?, progress = ?, error = ?, updated_at = now(), finished_at = now() "
					+ "WHERE id = ?", batch.failed == 0 ? "done" : "failed", batch.progress().fraction(), error, jobId);
			return new Outcome(jobId, selected.size(), batch.labelled, selected.size() - todo.size(), batch.noExamples,
					batch.failed, batch.firstError);
		}
	}

	/**
	 * Offline labels are cheap, so the whole batch is labelled first and labels that two features would share are
	 * qualified ({@link DistinctLabels}); language-model labels are taken as they come.
	 */
	private Map<Integer, Explanation> distinctOfflineLabels(Sae sae, List<Integer> todo, Explainer explainer) {
		if (!(explainer instanceof HeuristicExplainer)) {
			return Map.of();
		}
		Map<Integer, Explanation> planned = new LinkedHashMap<>();
		for (int index : todo) {
			FeatureExamples examples = this.reader.load(sae.id(), index);
			if (examples.hasActivations()) {
				try {
					planned.put(index, explainer.explain(examples));
				}
				catch (IllegalArgumentException ex) {
					log.debug("feature {}: {}", index, ex.getMessage());
				}
			}
		}
		Set<String> taken = new HashSet<>(this.jdbc.queryForList("SELECT DISTINCT ON (feature_index) label FROM feature_label "
				+ "WHERE sae_id = ? AND NOT (feature_index = ANY (?)) ORDER BY feature_index, created_at DESC", String.class,
				sae.id(), todo.toArray(new Integer[0])));
		return DistinctLabels.resolve(planned, taken, index -> this.reader.load(sae.id(), index));
	}

	private void runAll(Sae sae, List<Integer> todo, Request request, Batch batch) {
		ExecutorService pool = Executors.newFixedThreadPool(Math.min(request.concurrency(), Math.max(1, todo.size())));
		try {
			List<Future<?>> futures = new ArrayList<>();
			for (int index : todo) {
				futures.add(pool.submit(() -> explainOne(sae, index, request, batch)));
			}
			for (Future<?> f : futures) {
				f.get();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("autointerp interrupted", ex);
		}
		catch (ExecutionException ex) {
			// explainOne catches feature failures; what arrives here is a bug or a broken database connection
			throw ex.getCause() instanceof RuntimeException re ? re : new IllegalStateException(ex.getCause());
		}
		finally {
			pool.shutdownNow();
		}
	}

	/**
	 * Labels one feature now, outside any batch (the web's "explain this feature"): explains, scores and stores the
	 * label with its ratings and calls in one transaction.
	 * @return the new label's id
	 * @throws IllegalArgumentException when the SAE or feature does not exist or the feature never fired
	 * @throws LlmException when the provider failed after retries (nothing is stored but the calls, for audit)
	 */
	public long labelFeature(String modelName, String saeName, int featureIndex, Explainer explainer,
			List<Scorer> scorers) {
		Sae sae = findSae(modelName, saeName);
		FeatureSelection.parse(String.valueOf(featureIndex)).resolve(sae.dSae());
		FeatureExamples examples = this.reader.load(sae.id(), featureIndex);
		if (!examples.hasActivations()) {
			throw new IllegalArgumentException("feature " + featureIndex + " never fired in the extracted corpus: "
					+ "nothing to explain");
		}
		try (Transcript transcript = Transcript.open()) {
			Map<String, Scorer.Scores> scores = new LinkedHashMap<>();
			Explanation explanation;
			try {
				explanation = explainer.explain(examples);
				for (Scorer scorer : scorers) {
					scores.put(scorer.name(), scorer.score(examples, explanation));
				}
			}
			catch (RuntimeException ex) {
				this.labels.storeCalls(null, sae.id(), featureIndex, null, transcript.calls());
				throw ex;
			}
			return this.labels.store(sae.id(), featureIndex, explanation, scores, null, transcript.calls());
		}
	}

	private void explainOne(Sae sae, int index, Request request, Batch batch) {
		FeatureExamples examples = this.reader.load(sae.id(), index);
		if (!examples.hasActivations()) {
			batch.finished(Result.NO_EXAMPLES, null);
			return;
		}
		Explanation explanation;
		Map<String, Scorer.Scores> scores = new LinkedHashMap<>();
		try (Transcript transcript = Transcript.open()) {
			try {
				Explanation planned = batch.planned.get(index);
				explanation = planned != null ? planned : request.explainer().explain(examples);
				for (Scorer scorer : request.scorers()) {
					scores.put(scorer.name(), scorer.score(examples, explanation));
				}
			}
			catch (RuntimeException ex) {
				log.warn("feature {}: {}", index, ex.getMessage());
				// the calls that led nowhere are kept for the audit trail; no label, no ratings
				this.labels.storeCalls(batch.jobId, sae.id(), index, null, transcript.calls());
				batch.finished(Result.FAILED, "feature " + index + ": " + ex.getMessage());
				return;
			}
			this.labels.store(sae.id(), index, explanation, scores, batch.jobId, transcript.calls());
		}
		batch.finished(Result.LABELLED, null);
	}

	enum Result {
		LABELLED, NO_EXAMPLES, FAILED
	}

	/** Counts shared by the workers; updates the job row as features finish. */
	private final class Batch {

		final long jobId;

		final int total;

		final Consumer<AutointerpProgress> listener;

		int done;

		int labelled;

		int noExamples;

		int failed;

		String firstError;

		/** Labels made before the batch (offline explainers), by feature index. */
		Map<Integer, Explanation> planned = Map.of();

		long lastUpdate;

		Batch(long jobId, int total, Consumer<AutointerpProgress> listener) {
			this.jobId = jobId;
			this.total = total;
			this.listener = listener;
		}

		synchronized void finished(Result result, String error) {
			this.done++;
			switch (result) {
				case LABELLED -> this.labelled++;
				case NO_EXAMPLES -> this.noExamples++;
				case FAILED -> {
					this.failed++;
					if (this.firstError == null) {
						this.firstError = error;
					}
				}
			}
			long now = System.nanoTime();
			if (now - this.lastUpdate > 1_000_000_000L || this.done == this.total) {
				this.lastUpdate = now;
				AutointerpService.this.jdbc.update("UPDATE job SET progress = ?, updated_at = now() WHERE id = ?",
						progress().fraction(), this.jobId);
			}
			this.listener.accept(progress());
		}

		synchronized AutointerpProgress progress() {
			return new AutointerpProgress(this.jobId, this.done, this.total, this.labelled, this.failed);
		}
	}

	private Sae findSae(String modelName, String saeName) {
		List<Sae> found = this.jdbc.query("SELECT s.id, s.d_sae FROM sae s JOIN model m ON m.id = s.model_id "
				+ "WHERE m.name = ? AND s.name = ?", (rs, n) -> new Sae(rs.getLong(1), rs.getInt(2)), modelName, saeName);
		if (found.isEmpty()) {
			throw new IllegalArgumentException("no SAE '" + saeName + "' of model '" + modelName
					+ "'; run lumen extract first");
		}
		return found.get(0);
	}

	private static String json(Object value) {
		try {
			return JSON.writeValueAsString(value);
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException(ex);
		}
	}
}
