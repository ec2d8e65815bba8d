package dev.lumen.autointerp;

import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * Writes explanations as new {@code feature_label} rows (labels are never overwritten; pages show the newest) and
 * answers which features an explainer already labelled.
 */
@Repository
public class LabelStore {

	private final JdbcTemplate jdbc;

	public LabelStore(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/** @return the new label's id */
	@Transactional
	public long store(long saeId, int featureIndex, Explanation explanation, String scoresJson) {
		return this.jdbc.queryForObject("INSERT INTO feature_label (sae_id, feature_index, label, description, explainer, "
				+ "is_heuristic, scores) VALUES (?, ?, ?, ?, ?, ?, ?::jsonb) RETURNING id", Long.class, saeId, featureIndex,
				explanation.label(), explanation.description(), explanation.explainer(), explanation.heuristic(),
				scoresJson == null ? "{}" : scoresJson);
	}

	/** @return indices of the SAE's features that have a label by {@code explainer}, ascending */
	public List<Integer> labelledBy(long saeId, String explainer) {
		return this.jdbc.queryForList("SELECT DISTINCT feature_index FROM feature_label WHERE sae_id = ? AND explainer = ? "
				+ "ORDER BY feature_index", Integer.class, saeId, explainer);
	}
}
