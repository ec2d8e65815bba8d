package dev.lumen.account;

/**
 * A user's role or enabled flag changed; their open sessions must end so the change applies at once.
 * @param username whose account changed
 */
public record AccountChanged(String username) {
}
