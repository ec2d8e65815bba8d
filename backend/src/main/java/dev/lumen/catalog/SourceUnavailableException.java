package dev.lumen.catalog;

/**
 * A catalog model's or SAE's files cannot be used on this server: missing, unreadable or not loadable. The message
 * names the source and the problem and is meant for the user; each feature says what it could not do.
 */
public class SourceUnavailableException extends RuntimeException {

	public SourceUnavailableException(String message) {
		super(message);
	}
}
