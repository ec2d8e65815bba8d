package dev.lumen.engine.tokenizer;

/** A tokenizer file that cannot be read or does not fit the model; the message names the file. */
public class TokenizerException extends RuntimeException {

	public TokenizerException(String message) {
		super(message);
	}

	public TokenizerException(String message, Throwable cause) {
		super(message, cause);
	}
}
