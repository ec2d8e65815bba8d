package dev.lumen.autointerp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lumen.embedding.LabelEmbeddings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * Writes explanations as new {@code feature_label} rows (labels are never overwritten; pages show the newest) and
 * answers which features an explainer already labelled.
 */
@Repository
public class LabelStore {

	private static final ObjectMapper JSON = new ObjectMapper();

	private final JdbcTemplate jdbc;

	private final LabelEmbeddings embeddings;

	public LabelStore(JdbcTemplate jdbc, LabelEmbeddings embeddings) {
		this.jdbc = jdbc;
		this.embeddings = embeddings;
	}

	/**
	 * Stores the label, its score summaries, every rating behind them and the label's embedding for semantic
	 * search in one transaction: a failure leaves nothing half-written.
	 * @return the new label's id
	 */
	@Transactional
	public long store(long saeId, int featureIndex, Explanation explanation, Map<String, Scorer.Scores> scores,
			Long jobId, List<Transcript.Call> calls) {
		Map<String, Object> summaries = new LinkedHashMap<>();
		scores.forEach((name, s) -> summaries.put(name, s.summary()));
		String scoresJson;
		try {
			scoresJson = JSON.writeValueAsString(summaries);
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException(ex);
		}
		long id = this.jdbc.queryForObject("INSERT INTO feature_label (sae_id, feature_index, label, description, explainer, "
				+ "is_heuristic, scores) VALUES (?, ?, ?, ?, ?, ?, ?::jsonb) RETURNING id", Long.class, saeId, featureIndex,
				explanation.label(), explanation.description(), explanation.explainer(), explanation.heuristic(),
				scoresJson);
		List<Object[]> rows = new ArrayList<>();
		for (Scorer.Scores s : scores.values()) {
			for (Scorer.Rating r : s.ratings()) {
				rows.add(new Object[] { id, r.contextId(), r.activation(), (short) r.score(), r.rater() });
			}
		}
		if (!rows.isEmpty()) {
			this.jdbc.batchUpdate("INSERT INTO specificity_rating (label_id, context_id, activation, score, rater) "
					+ "VALUES (?, ?, ?, ?, ?)", rows);
		}
		storeCalls(jobId, saeId, featureIndex, id, calls);
		// the new label is the feature's newest: semantic search finds it by this vector
		this.embeddings.store(saeId, featureIndex, explanation.label());
		return id;
	}

	/**
	 * Stores language-model calls for the audit trail.
	 * @param labelId the label they led to, or null when the feature got none
	 */
	@Transactional
	public void storeCalls(Long jobId, long saeId, int featureIndex, Long labelId, List<Transcript.Call> calls) {
		List<Object[]> rows = new ArrayList<>();
		for (Transcript.Call c : calls) {
			rows.add(new Object[] { jobId, saeId, featureIndex, labelId, c.purpose(), c.client(), c.system(), c.user(),
					c.httpStatus(), c.response(), c.error() });
		}
		if (!rows.isEmpty()) {
			this.jdbc.batchUpdate("INSERT INTO autointerp_call (job_id, sae_id, feature_index, label_id, purpose, client, "
					+ "system_prompt, user_prompt, http_status, response, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows);
		}
	}

	/** @return indices of the SAE's features that have a label by {@code explainer}, ascending */
	public List<Integer> labelledBy(long saeId, String explainer) {
		return this.jdbc.queryForList("SELECT DISTINCT feature_index FROM feature_label WHERE sae_id = ? AND explainer = ? "
				+ "ORDER BY feature_index", Integer.class, saeId, explainer);
	}
}
