package dev.lumen.system;

/** An anonymous caller sent more or longer texts than {@link ModelWork} allows them (HTTP 400 with the limit). */
public class ModelInputTooLargeException extends RuntimeException {

	public ModelInputTooLargeException(String message) {
		super(message);
	}
}
