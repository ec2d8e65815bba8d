package dev.lumen.engine.sae;

/** An SAE directory whose files are missing, malformed or disagree with each other. */
public class SaeFormatException extends RuntimeException {

	public SaeFormatException(String message) {
		super(message);
	}

	public SaeFormatException(String message, Throwable cause) {
		super(message, cause);
	}
}
