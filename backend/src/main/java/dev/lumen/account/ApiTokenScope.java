package dev.lumen.account;

import java.util.Locale;

/**
 * What a personal API token may do. Every token can read; {@code steer} adds the steering API, {@code review} adds
 * review actions (flags, comments, lists, labels). The owner's role still applies on top: a {@code review} token of
 * a VIEWER is refused review actions like the VIEWER is.
 */
public enum ApiTokenScope {
	READ, STEER, REVIEW;

	/** @return the Spring Security authority this scope grants, e.g. {@code SCOPE_steer} */
	public String authority() {
		return "SCOPE_" + dbName();
	}

	/** @return the name stored in {@code api_token.scopes} and shown to users */
	public String dbName() {
		return name().toLowerCase(Locale.ROOT);
	}

	/** @throws IllegalArgumentException naming the accepted scopes when {@code name} is none of them */
	public static ApiTokenScope parse(String name) {
		for (ApiTokenScope scope : values()) {
			if (scope.dbName().equals(name == null ? "" : name.strip().toLowerCase(Locale.ROOT))) {
				return scope;
			}
		}
		throw new IllegalArgumentException("Unknown token scope '" + name + "': use read, steer or review");
	}
}
