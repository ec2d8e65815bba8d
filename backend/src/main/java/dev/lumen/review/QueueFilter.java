package dev.lumen.review;

/**
 * The review queue's filters; null or blank means "any".
 * @param state a {@link FlagState} name, {@code active} (suggested, open, in review; the default) or {@code all}
 * @param assignee a user name, or {@code none} for unassigned flags
 */
public record QueueFilter(FlagCategory category, Severity severity, String state, Long saeId, String assignee) {

	/** @return the default queue: every flag that still needs attention */
	public static QueueFilter active() {
		return new QueueFilter(null, null, "active", null, null);
	}

	/** @return the state filter with the default applied */
	public String stateOrDefault() {
		return this.state == null || this.state.isBlank() ? "active" : this.state;
	}
}
