package dev.lumen.engine.generate;

/** Receives generated tokens as they are produced (called on the generating thread). */
@FunctionalInterface
public interface TokenListener {

	/** A listener that ignores tokens. */
	TokenListener NONE = (id, text) -> {
	};

	/**
	 * @param tokenId the new token
	 * @param text text that became complete with this token (may be empty while a multi-byte character is split
	 * over byte tokens)
	 */
	void onToken(int tokenId, String text);
}
