package dev.lumen.review;

import dev.lumen.audit.AuditLog;
import dev.lumen.embedding.LabelEmbeddings;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Reviewers correct a feature's label. Labels are never overwritten: a corrected label is a new
 * {@code feature_label} row with explainer {@code human:<user>}, and the change is audited with the label
 * it replaced. The new label's search vector is stored in the same transaction, so semantic search finds the
 * corrected label at once.
 */
@Service
public class FeatureLabelEditor {

	static final int MAX_LABEL_LENGTH = 500;

	private final JdbcTemplate jdbc;

	private final AuditLog audit;

	private final LabelEmbeddings embeddings;

	public FeatureLabelEditor(JdbcTemplate jdbc, AuditLog audit, LabelEmbeddings embeddings) {
		this.jdbc = jdbc;
		this.audit = audit;
		this.embeddings = embeddings;
	}

	/** Stores {@code label} as the feature's newest label. */
	@Transactional
	public void setLabel(String actor, ReviewFeature feature, String label) {
		String text = label == null ? "" : label.strip();
		if (text.isEmpty() || text.length() > MAX_LABEL_LENGTH) {
			throw new IllegalArgumentException("A label needs 1 to " + MAX_LABEL_LENGTH + " characters");
		}
		Long id = this.jdbc.queryForObject("INSERT INTO feature_label (sae_id, feature_index, label, explainer) "
				+ "VALUES (?, ?, ?, ?) RETURNING id", Long.class, feature.saeId(), feature.featureIndex(), text, "human:" + actor);
		this.embeddings.store(feature.saeId(), feature.featureIndex(), text);
		Map<String, Object> before = new LinkedHashMap<>();
		before.put("label", feature.label());
		this.audit.recordForFeature(actor, "label.set", "label", id, feature.saeId(), feature.featureIndex(),
				feature.label() == null ? null : before, Map.of("label", text, "explainer", "human:" + actor));
	}
}
