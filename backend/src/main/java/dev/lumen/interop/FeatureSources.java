package dev.lumen.interop;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;

/**
 * Where imported features came from ({@code feature_source}); the feature page gets it from
 * {@link FeatureSourceAdvice} to mark imported features and say what their import lacks.
 */
@Component("featureSources")
public class FeatureSources {

	private static final TypeReference<Map<String, Object>> JSON_OBJECT = new TypeReference<>() {
	};

	private final JdbcTemplate jdbc;

	FeatureSources(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * An imported feature's provenance.
	 * @param source {@code saedashboard} or {@code neuronpedia}
	 * @param origin the file or export it was read from
	 * @param hasDecoder whether the SAE's weights are linked (nearest features and steering need them)
	 * @param correlated SAEDashboard's correlated features (Pearson), as pairs of index and coefficient
	 */
	public record Source(String source, String origin, String dataset, boolean hasDecoder, List<Number[]> correlated,
			Map<String, Object> detail) {

		/** @return how the page names the tool */
		public String toolName() {
			return "saedashboard".equals(this.source) ? "SAEDashboard" : "Neuronpedia";
		}
	}

	/** @return the provenance of a feature, or null when it was extracted by Lumen */
	public Source of(long saeId, int featureIndex) {
		return find(saeId, featureIndex).orElse(null);
	}

	Optional<Source> find(long saeId, int featureIndex) {
		return this.jdbc.query("SELECT s.source, s.origin, s.detail::text, EXISTS (SELECT 1 FROM feature_decoder d "
				+ "WHERE d.sae_id = s.sae_id AND d.feature_index = s.feature_index) FROM feature_source s "
				+ "WHERE s.sae_id = ? AND s.feature_index = ?", (rs, n) -> {
					Map<String, Object> detail = DashboardBatchReader.JSON.readValue(rs.getString(3), JSON_OBJECT);
					return new Source(rs.getString(1), rs.getString(2), (String) detail.get("dataset"), rs.getBoolean(4),
							correlated(detail), detail);
				}, saeId, featureIndex).stream().findFirst();
	}

	@SuppressWarnings("unchecked")
	private static List<Number[]> correlated(Map<String, Object> detail) {
		List<Number> idx = (List<Number>) detail.get("correlated_features_indices");
		List<Number> r = (List<Number>) detail.get("correlated_features_pearson");
		if (idx == null || r == null) {
			return List.of();
		}
		return java.util.stream.IntStream.range(0, Math.min(idx.size(), r.size()))
			.mapToObj(i -> new Number[] { idx.get(i), r.get(i) })
			.toList();
	}
}
