package dev.lumen.system;

/** The configured database cannot be used: unreachable, or without pgvector. Says what to run. */
public class DatabaseNotReadyException extends RuntimeException {

	private final String action;

	public DatabaseNotReadyException(String problem, String action, Throwable cause) {
		super(problem, cause);
		this.action = action;
	}

	/** @return what the user should do about it */
	public String action() {
		return this.action;
	}
}
