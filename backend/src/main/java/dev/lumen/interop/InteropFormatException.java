package dev.lumen.interop;

/** A file that is not in the format it claims to be in; the message names the file, the place and the fix. */
public class InteropFormatException extends RuntimeException {

	public InteropFormatException(String message) {
		super(message);
	}

	public InteropFormatException(String message, Throwable cause) {
		super(message, cause);
	}
}
