package dev.lumen.audit;

import java.time.OffsetDateTime;

/**
 * One row of the append-only audit log.
 * @param before the entity's state before the change as JSON, null when it was created
 * @param after the state after the change as JSON, null when it was deleted
 */
public record AuditEvent(long id, OffsetDateTime occurredAt, String actor, String action, String entityType,
		String entityId, Long saeId, Integer featureIndex, String before, String after) {
}
