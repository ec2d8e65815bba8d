package dev.lumen.review;

/**
 * A change was based on an older version of a flag than the stored one: someone else changed it first.
 * The message says so and what to do; nothing was saved.
 */
public class FlagConflictException extends RuntimeException {

	public FlagConflictException(String message) {
		super(message);
	}
}
