package dev.lumen.audit;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.ObjectMapper;

/**
 * Writes and reads the append-only audit log (table {@code audit_event}). Writes join the caller's
 * transaction, so a change and its audit row commit or roll back together. The database fills in the time,
 * the id and the hash chain, and rejects every UPDATE, DELETE and TRUNCATE (migration V4).
 */
@Service
public class AuditLog {

	/** Actor name for changes made without a logged-in user (start-up, CLI). */
	public static final String SYSTEM = "system";

	private static final String COLUMNS = "id, occurred_at, actor, action, entity_type, entity_id, sae_id, feature_index, "
			+ "before::text AS before, after::text AS after";

	private final JdbcTemplate jdbc;

	private final ObjectMapper json;

	public AuditLog(JdbcTemplate jdbc, ObjectMapper json) {
		this.jdbc = jdbc;
		this.json = json;
	}

	/**
	 * Records a change that concerns no particular feature.
	 * @param before state before (a map or record serialised as JSON), null for a creation
	 * @param after state after, null for a deletion
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public void record(String actor, String action, String entityType, Object entityId, Object before, Object after) {
		recordForFeature(actor, action, entityType, entityId, null, null, before, after);
	}

	/** Records a change to something that belongs to feature {@code featureIndex} of SAE {@code saeId}. */
	@Transactional(propagation = Propagation.MANDATORY)
	public void recordForFeature(String actor, String action, String entityType, Object entityId, Long saeId,
			Integer featureIndex, Object before, Object after) {
		this.jdbc.update("INSERT INTO audit_event (actor, action, entity_type, entity_id, sae_id, feature_index, before, after, hash) "
				+ "VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ''::bytea)", withCredential(actor), action, entityType,
				String.valueOf(entityId), saeId, featureIndex, toJson(before), toJson(after));
	}

	/** @return the actor, plus the credential when the change is made with an API token rather than a login */
	static String withCredential(String actor) {
		Authentication current = SecurityContextHolder.getContext().getAuthentication();
		if (current instanceof AuditedCredential credential && credential.getName().equals(actor)) {
			return actor + " via " + credential.auditName();
		}
		return actor;
	}

	/** @return the newest events, newest first, with ids below {@code beforeId} when it is not null */
	@Transactional(readOnly = true)
	public List<AuditEvent> recent(Long beforeId, int limit) {
		return this.jdbc.query("SELECT " + COLUMNS + " FROM audit_event WHERE (?::bigint IS NULL OR id < ?) ORDER BY id DESC LIMIT ?",
				AuditLog::event, beforeId, beforeId, limit);
	}

	/** @return every event about one feature, newest first */
	@Transactional(readOnly = true)
	public List<AuditEvent> forFeature(long saeId, int featureIndex) {
		return this.jdbc.query("SELECT " + COLUMNS + " FROM audit_event WHERE sae_id = ? AND feature_index = ? ORDER BY id DESC",
				AuditLog::event, saeId, featureIndex);
	}

	/** @return every event about one entity, oldest first */
	@Transactional(readOnly = true)
	public List<AuditEvent> forEntity(String entityType, Object entityId) {
		return this.jdbc.query("SELECT " + COLUMNS + " FROM audit_event WHERE entity_type = ? AND entity_id = ? ORDER BY id",
				AuditLog::event, entityType, String.valueOf(entityId));
	}

	/** @return ids of rows whose hash or link to the previous row does not verify, with the problem; empty when intact */
	@Transactional(readOnly = true)
	public List<String> chainBreaks() {
		return this.jdbc.query("SELECT id, problem FROM audit_chain_breaks()", (rs, n) -> "#" + rs.getLong(1) + ": " + rs.getString(2));
	}

	private String toJson(Object value) {
		return value == null ? null : this.json.writeValueAsString(value);
	}

	private static AuditEvent event(ResultSet rs, int row) throws SQLException {
		return new AuditEvent(rs.getLong("id"), rs.getObject("occurred_at", OffsetDateTime.class), rs.getString("actor"),
				rs.getString("action"), rs.getString("entity_type"), rs.getString("entity_id"),
				rs.getObject("sae_id", Long.class), rs.getObject("feature_index", Integer.class), rs.getString("before"),
				rs.getString("after"));
	}
}
