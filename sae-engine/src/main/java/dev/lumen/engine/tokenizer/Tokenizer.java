package dev.lumen.engine.tokenizer;

/** Text to token ids and back, for one model's vocabulary. */
public interface Tokenizer extends AutoCloseable {

	/**
	 * Encodes text.
	 * @param text the text (no special tokens are parsed from it)
	 * @param addBos whether to prepend the beginning-of-sequence token (ignored when the vocabulary has none)
	 * @return token ids
	 */
	int[] encode(String text, boolean addBos);

	/**
	 * Decodes ids to text, skipping special tokens (BOS, EOS, padding).
	 * @param ids token ids
	 * @return the text
	 */
	String decode(int[] ids);

	/**
	 * @param id a token id
	 * @return the token's surface string as the vocabulary stores it (e.g. {@code " Once"}, {@code "<0x0A>"})
	 */
	String tokenString(int id);

	/** @return number of ids the vocabulary defines */
	int vocabSize();

	/** @return the beginning-of-sequence id, or -1 */
	int bosId();

	/** @return the end-of-sequence id, or -1 */
	int eosId();

	/** Releases native resources, if any. */
	@Override
	default void close() {
	}
}
