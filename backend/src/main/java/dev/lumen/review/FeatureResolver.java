package dev.lumen.review;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** Finds features by their URL slugs or ids, with the newest label, for review pages. */
@Component
public class FeatureResolver {

	private static final String SELECT = "SELECT f.sae_id, f.feature_index, m.name AS model_name, s.name AS sae_name, "
			+ "(SELECT l.label FROM feature_label l WHERE l.sae_id = f.sae_id AND l.feature_index = f.feature_index "
			+ "ORDER BY l.created_at DESC, l.id DESC LIMIT 1) AS label "
			+ "FROM feature f JOIN sae s ON s.id = f.sae_id JOIN model m ON m.id = s.model_id ";

	private final JdbcTemplate jdbc;

	public FeatureResolver(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/** @return the feature at {@code /{model}/{sae}/{index}}, if it exists */
	public Optional<ReviewFeature> find(String model, String sae, int index) {
		return this.jdbc.query(SELECT + "WHERE m.name = ? AND s.name = ? AND f.feature_index = ?", FeatureResolver::row,
				model, sae, index).stream().findFirst();
	}

	/** @return feature {@code index} of SAE {@code saeId}, if it exists */
	public Optional<ReviewFeature> find(long saeId, int index) {
		return this.jdbc.query(SELECT + "WHERE f.sae_id = ? AND f.feature_index = ?", FeatureResolver::row, saeId, index)
			.stream()
			.findFirst();
	}

	/** @throws ReviewNotFoundException naming the missing feature */
	public ReviewFeature require(String model, String sae, int index) {
		return find(model, sae, index).orElseThrow(() -> new ReviewNotFoundException("No feature " + model + "/" + sae + "/" + index));
	}

	/** @throws ReviewNotFoundException when the feature was deleted */
	public ReviewFeature require(long saeId, int index) {
		return find(saeId, index).orElseThrow(() -> new ReviewNotFoundException("No feature " + index + " in SAE " + saeId));
	}

	private static ReviewFeature row(ResultSet rs, int n) throws SQLException {
		return new ReviewFeature(rs.getLong("sae_id"), rs.getInt("feature_index"), rs.getString("model_name"),
				rs.getString("sae_name"), rs.getString("label"));
	}
}
