package dev.lumen.engine.model;

/** A model file or directory that cannot be loaded; the message names the file and what is wrong. */
public class ModelLoadException extends RuntimeException {

	public ModelLoadException(String message) {
		super(message);
	}

	public ModelLoadException(String message, Throwable cause) {
		super(message, cause);
	}
}
