package dev.lumen.review;

import java.time.OffsetDateTime;

/** A flag with the names a page shows: feature slugs and label, reporter, assignee, last editor. */
public record FlagView(long id, ReviewFeature feature, FlagCategory category, Severity severity, FlagState state,
		String note, Long evidenceContextId, String evidenceUrl, String rationale, String createdBy,
		OffsetDateTime createdAt, String assignee, String updatedBy, OffsetDateTime updatedAt, long version,
		int comments) {

	/** @return the flag's permalink path */
	public String path() {
		return "/review/flags/" + this.id;
	}
}
