package dev.lumen.engine.tokenizer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads llama2.c's {@code tokenizer.bin}: int32 max_token_length, then per token a float32 score, an
 * int32 byte length and the UTF-8 bytes. BOS (id 1) is stored as "\n&lt;s&gt;\n" and EOS (id 2) as "\n&lt;/s&gt;\n".
 */
public final class LlamaTokenizerFile {

	private LlamaTokenizerFile() {
	}

	/**
	 * Reads a tokenizer.bin whose vocabulary must have {@code expectedVocab} tokens.
	 * @param expectedVocab the model's vocabulary size, or -1 to accept any
	 * @throws TokenizerException naming the file for a malformed file or a vocabulary size mismatch
	 */
	public static SentencePieceBpe read(Path file, int expectedVocab) {
		byte[] data;
		try {
			data = Files.readAllBytes(file);
		}
		catch (IOException ex) {
			throw new TokenizerException(file + ": cannot read: " + ex.getMessage(), ex);
		}
		ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
		if (b.remaining() < 4) {
			throw new TokenizerException(file + ": too short for a llama2.c tokenizer header");
		}
		int maxLen = b.getInt();
		List<String> pieces = new ArrayList<>();
		List<Float> scores = new ArrayList<>();
		while (b.hasRemaining()) {
			if (b.remaining() < 8) {
				throw new TokenizerException(file + ": truncated entry for token " + pieces.size());
			}
			float score = b.getFloat();
			int len = b.getInt();
			if (len < 0 || len > maxLen || len > b.remaining()) {
				throw new TokenizerException(file + ": token " + pieces.size() + " has length " + len + " (max_token_length "
						+ maxLen + ", " + b.remaining() + " bytes left)");
			}
			byte[] piece = new byte[len];
			b.get(piece);
			pieces.add(new String(piece, StandardCharsets.UTF_8));
			scores.add(score);
		}
		if (expectedVocab >= 0 && pieces.size() != expectedVocab) {
			throw new TokenizerException(file + ": holds " + pieces.size() + " tokens but the model's vocabulary has "
					+ expectedVocab + " (tokenizer of another model?)");
		}
		float[] s = new float[scores.size()];
		boolean[] control = new boolean[pieces.size()];
		for (int i = 0; i < s.length; i++) {
			s[i] = scores.get(i);
		}
		int bos = pieces.size() > 1 ? 1 : -1;
		int eos = pieces.size() > 2 ? 2 : -1;
		if (bos >= 0) {
			control[bos] = true;
		}
		if (eos >= 0) {
			control[eos] = true;
		}
		return new SentencePieceBpe(pieces.toArray(String[]::new), s, bos, eos, control);
	}
}
