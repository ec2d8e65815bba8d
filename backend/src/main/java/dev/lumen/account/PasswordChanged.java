package dev.lumen.account;

/**
 * A user changed their password: every other session of theirs must end, since whoever held the old password may
 * hold one of them.
 * @param username whose password changed
 * @param keptSessionId the session that made the change, which stays logged in (null: none)
 */
public record PasswordChanged(String username, String keptSessionId) {
}
