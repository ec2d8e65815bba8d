package dev.lumen.engine.model;

/**
 * Incremental decoding state for one batch of sequences: feed new tokens, get the next-token logits.
 * Opened by {@link LanguageModel#openSession}; close it to free its KV cache.
 */
public interface DecodeSession extends AutoCloseable {

	/**
	 * Processes new tokens after those already seen.
	 * @param tokens [batch][pos] new token ids
	 * @param mask [batch][pos], 1 for tokens and 0 for (left) padding
	 * @return logits of the last new position, [batch][vocab]
	 */
	float[][] step(int[][] tokens, int[][] mask);

	/** @return positions processed so far (padding included) */
	int length();

	@Override
	void close();
}
