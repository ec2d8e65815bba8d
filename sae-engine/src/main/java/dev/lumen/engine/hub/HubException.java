package dev.lumen.engine.hub;

import java.io.IOException;

/** A download that failed: HTTP error, access denied, missing file or checksum mismatch. */
public class HubException extends IOException {

	public HubException(String message) {
		super(message);
	}

	public HubException(String message, Throwable cause) {
		super(message, cause);
	}
}
