package dev.lumen.feature;

/** The engine cannot run an SAE here, e.g. its model files are not on this server; the message says why. */
public class ProbeUnavailableException extends RuntimeException {

	public ProbeUnavailableException(String message, Throwable cause) {
		super(message, cause);
	}
}
