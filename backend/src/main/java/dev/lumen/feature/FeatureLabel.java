package dev.lumen.feature;

import java.time.OffsetDateTime;
import java.util.Map;

/**
 * An autointerp label of a feature (table {@code feature_label}).
 * @param heuristic true for an offline heuristic label rather than one written by an explainer model
 * @param scores the label's scores (specificity summary, detection accuracy, ...), by name
 */
public record FeatureLabel(long id, String label, String description, String explainer, boolean heuristic,
		Map<String, Object> scores, OffsetDateTime createdAt) {
}
