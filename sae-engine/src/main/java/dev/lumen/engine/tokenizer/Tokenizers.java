package dev.lumen.engine.tokenizer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Finds and opens the tokenizer that belongs to a checkpoint. */
public final class Tokenizers {

	private Tokenizers() {
	}

	/**
	 * Opens the tokenizer next to a llama2.c checkpoint: {@code tokenizer.bin}, else {@code tokenizer.model},
	 * else the only {@code tok*.bin} file in that directory.
	 * @param checkpoint the model .bin file
	 * @param vocabSize the model's vocabulary size; the tokenizer must match it
	 * @throws TokenizerException naming the directory when none is found, or the file on a mismatch
	 */
	public static Tokenizer forLlama2cCheckpoint(Path checkpoint, int vocabSize) {
		Path dir = checkpoint.toAbsolutePath().getParent();
		Path bin = dir.resolve("tokenizer.bin");
		if (Files.isRegularFile(bin)) {
			return LlamaTokenizerFile.read(bin, vocabSize);
		}
		Path model = dir.resolve("tokenizer.model");
		if (Files.isRegularFile(model)) {
			return checkVocab(SentencePieceModelFile.read(model), vocabSize, model);
		}
		try (Stream<Path> list = Files.list(dir)) {
			List<Path> found = list.filter(p -> {
				String n = p.getFileName().toString();
				return n.startsWith("tok") && n.endsWith(".bin") && !p.equals(checkpoint);
			}).toList();
			if (found.size() == 1) {
				return LlamaTokenizerFile.read(found.get(0), vocabSize);
			}
		}
		catch (IOException ex) {
			throw new TokenizerException(dir + ": cannot list: " + ex.getMessage(), ex);
		}
		throw new TokenizerException(dir + ": no tokenizer.bin, tokenizer.model or single tok*.bin next to " + checkpoint.getFileName());
	}

	/**
	 * Opens the tokenizer of a Hugging Face directory: {@code tokenizer.json}, else {@code tokenizer.model}.
	 * @param bosId the model config's BOS id (-1 if none), used by tokenizer.json
	 * @param eosId the model config's EOS id (-1 if none)
	 */
	public static Tokenizer forHfDirectory(Path dir, int bosId, int eosId) {
		Path json = dir.resolve("tokenizer.json");
		if (Files.isRegularFile(json)) {
			return HfTokenizer.open(json, bosId, eosId);
		}
		Path model = dir.resolve("tokenizer.model");
		if (Files.isRegularFile(model)) {
			return SentencePieceModelFile.read(model);
		}
		throw new TokenizerException(dir + ": no tokenizer.json or tokenizer.model");
	}

	private static Tokenizer checkVocab(Tokenizer t, int vocabSize, Path file) {
		if (t.vocabSize() != vocabSize) {
			throw new TokenizerException(file + ": holds " + t.vocabSize() + " tokens but the model's vocabulary has "
					+ vocabSize + " (tokenizer of another model?)");
		}
		return t;
	}
}
