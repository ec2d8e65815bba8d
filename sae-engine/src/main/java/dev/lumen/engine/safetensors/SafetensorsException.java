package dev.lumen.engine.safetensors;

/** A safetensors file that cannot be read or does not hold what the caller expects. */
public class SafetensorsException extends RuntimeException {

	public SafetensorsException(String message) {
		super(message);
	}

	public SafetensorsException(String message, Throwable cause) {
		super(message, cause);
	}
}
