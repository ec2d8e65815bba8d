package dev.lumen.webcache;

import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The versions behind ETags (migration V30): per SAE a content version (extraction, {@code lumen map}) and a
 * labels version (any label or flag change in the SAE), per feature page a revision bumped by database
 * triggers when a label, rating or flag shown on that page changes.
 */
@Repository
public class PageVersions {

	/**
	 * @param running an extraction of the SAE is running: its pages change without notice, nothing is cached
	 */
	public record SaeVersion(long content, long labels, boolean running) {
	}

	private final JdbcTemplate jdbc;

	public PageVersions(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	public SaeVersion sae(long saeId) {
		return this.jdbc.queryForObject("SELECT coalesce(v.content, 1), coalesce(v.labels, 1), " + RUNNING
				+ " FROM sae s LEFT JOIN sae_page_version v ON v.sae_id = s.id WHERE s.id = ?",
				(rs, n) -> new SaeVersion(rs.getLong(1), rs.getLong(2), rs.getBoolean(3)), saeId);
	}

	/** An extraction of the SAE {@code s} is running. */
	private static final String RUNNING = "EXISTS (SELECT 1 FROM job j WHERE j.sae_id = s.id AND j.kind = 'extract' "
			+ "AND j.status = 'running')";

	/**
	 * What a version covers: {@link #FEATURE} a feature page or answer (the SAE's content, the feature's revision,
	 * the content and labels versions of sibling SAEs whose neighbours it lists), {@link #CONTENT} what only extraction and
	 * {@code lumen map} change, {@link #LABELS} content plus every label and flag of the SAE (the map).
	 */
	public enum Scope {
		FEATURE, CONTENT, LABELS
	}

	/**
	 * @param index the feature (for {@link Scope#FEATURE}; ignored otherwise)
	 * @return a string that changes whenever what the scope covers may change; null when the SAE is unknown or
	 *     an extraction of it is running (nothing may be cached then)
	 */
	public String version(String modelName, String saeName, Scope scope, int index) {
		String parts = switch (scope) {
			case CONTENT -> "coalesce(v.content, 1)::text";
			case LABELS -> "coalesce(v.content, 1) || '.' || coalesce(v.labels, 1)";
			case FEATURE -> "coalesce(v.content, 1) || '.' || coalesce((SELECT r.revision FROM feature_page_revision r "
					+ "WHERE r.sae_id = s.id AND r.feature_index = " + index + "), 1) || '.' || coalesce((SELECT "
					+ "string_agg(coalesce(v2.content, 1) || ':' || coalesce(v2.labels, 1), '.' ORDER BY s2.id) "
					+ "FROM sae s2 LEFT JOIN sae_page_version v2 ON v2.sae_id = s2.id WHERE s2.model_id = s.model_id "
					+ "AND s2.hook_name = s.hook_name AND s2.d_in = s.d_in AND s2.id <> s.id), '')";
		};
		List<String> rows = this.jdbc.queryForList("SELECT CASE WHEN " + RUNNING + " THEN NULL ELSE s.id || '.' || "
				+ parts + " END FROM sae s JOIN model m ON m.id = s.model_id LEFT JOIN sae_page_version v "
				+ "ON v.sae_id = s.id WHERE m.name = ? AND s.name = ?", String.class, modelName, saeName);
		return rows.isEmpty() ? null : rows.get(0);
	}
}
