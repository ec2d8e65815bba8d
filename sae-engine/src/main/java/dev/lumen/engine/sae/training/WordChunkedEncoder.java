package dev.lumen.engine.sae.training;

import dev.lumen.engine.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Encodes long documents word by word when that provably gives the same ids as encoding them whole.
 *
 * <p>Sentencepiece BPE as run.c does it costs O(n²) in the text length (thousands of tokens per second on a
 * TinyStories story), which would dominate SAE training. No merge can cross a word boundary when no vocabulary
 * piece holds a non-space character followed by a space, and with the dummy-prefix space encoding
 * {@code "upon"} yields exactly the ids of {@code " upon"} in context. Both conditions are checked (the
 * vocabulary scan and a sample document encoded both ways) before chunking is used; otherwise documents are
 * encoded whole.
 */
public final class WordChunkedEncoder {

	private WordChunkedEncoder() {
	}

	/**
	 * @param tokenizer the model's tokenizer
	 * @param sample a document used to confirm that chunked and whole encoding agree
	 * @return text → ids without BOS, chunked when safe
	 */
	public static Function<String, int[]> forTokenizer(Tokenizer tokenizer, String sample) {
		Function<String, int[]> whole = text -> tokenizer.encode(text, false);
		if (!piecesStopAtSpaces(tokenizer)) {
			return whole;
		}
		Function<String, int[]> chunked = text -> encodeChunked(tokenizer, text);
		String probe = sample.length() > 400 ? sample.substring(0, 400) : sample;
		return java.util.Arrays.equals(whole.apply(probe), chunked.apply(probe)) ? chunked : whole;
	}

	/** @return true when no piece holds a non-space character followed by a space */
	static boolean piecesStopAtSpaces(Tokenizer tokenizer) {
		for (int id = 0; id < tokenizer.vocabSize(); id++) {
			String p = tokenizer.tokenString(id);
			for (int i = 1; i < p.length(); i++) {
				if (p.charAt(i) == ' ' && p.charAt(i - 1) != ' ') {
					return false;
				}
			}
		}
		return true;
	}

	/** Encodes text as words: each chunk starting with a space is encoded without it (the dummy prefix restores it). */
	static int[] encodeChunked(Tokenizer tokenizer, String text) {
		List<int[]> parts = new ArrayList<>();
		int start = 0;
		int total = 0;
		for (int i = 1; i <= text.length(); i++) {
			boolean boundary = i == text.length()
					|| (text.charAt(i) == ' ' && text.charAt(i - 1) != ' ' && !text.substring(i).isBlank());
			if (boundary) {
				String chunk = text.substring(start, i);
				int[] ids = tokenizer.encode(start == 0 ? chunk : chunk.substring(1), false);
				parts.add(ids);
				total += ids.length;
				start = i;
			}
		}
		int[] out = new int[total];
		int pos = 0;
		for (int[] p : parts) {
			System.arraycopy(p, 0, out, pos, p.length);
			pos += p.length;
		}
		return out;
	}
}
