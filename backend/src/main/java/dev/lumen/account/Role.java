package dev.lumen.account;

/** What a user may do: viewers read, reviewers flag and review, admins also manage users and settings. */
public enum Role {

	VIEWER, REVIEWER, ADMIN;

	/** @return the Spring Security authority, e.g. {@code ROLE_REVIEWER} */
	public String authority() {
		return "ROLE_" + name();
	}

	/** @return whether this role includes everything {@code other} may do */
	public boolean includes(Role other) {
		return ordinal() >= other.ordinal();
	}

	/**
	 * Parses a role name, ignoring case.
	 * @throws IllegalArgumentException naming the valid roles
	 */
	public static Role parse(String name) {
		for (Role r : values()) {
			if (r.name().equalsIgnoreCase(name == null ? "" : name.strip())) {
				return r;
			}
		}
		throw new IllegalArgumentException("Unknown role '" + name + "'; valid: VIEWER, REVIEWER, ADMIN");
	}
}
