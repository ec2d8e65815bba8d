package dev.lumen.playground;

/** A steering request that cannot be served as asked; the message says why and is shown to the user (HTTP 400). */
public class PlaygroundException extends RuntimeException {

	public PlaygroundException(String message) {
		super(message);
	}
}
