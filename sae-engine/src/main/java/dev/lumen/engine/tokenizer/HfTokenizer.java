package dev.lumen.engine.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A Hugging Face {@code tokenizer.json} run by DJL's tokenizers binding, with truncation and padding
 * off (DJL truncates at 512 tokens by default) and special tokens added by us, not by the post-processor,
 * so {@code addBos} means the same for every model.
 */
public final class HfTokenizer implements Tokenizer {

	private static final ObjectMapper JSON = new ObjectMapper();

	private final HuggingFaceTokenizer tokenizer;

	private final String[] idToToken; // [vocab]

	private final int bosId;

	private final int eosId;

	private HfTokenizer(HuggingFaceTokenizer tokenizer, String[] idToToken, int bosId, int eosId) {
		this.tokenizer = tokenizer;
		this.idToToken = idToToken;
		this.bosId = bosId;
		this.eosId = eosId;
	}

	/**
	 * Opens a tokenizer.json.
	 * @param bosId BOS id from the model config, -1 when the model has none
	 * @param eosId EOS id from the model config, -1 when none
	 * @throws TokenizerException naming the file when it cannot be parsed
	 */
	public static HfTokenizer open(Path file, int bosId, int eosId) {
		String[] vocab = vocabulary(file);
		try {
			HuggingFaceTokenizer t = HuggingFaceTokenizer.builder()
				.optTokenizerPath(file)
				.optAddSpecialTokens(false)
				.optTruncation(false)
				.optPadding(false)
				.build();
			return new HfTokenizer(t, vocab, bosId < vocab.length ? bosId : -1, eosId < vocab.length ? eosId : -1);
		}
		catch (IOException | RuntimeException ex) {
			throw new TokenizerException(file + ": cannot load tokenizer: " + ex.getMessage(), ex);
		}
	}

	/** id -> token from model.vocab and added_tokens (DJL has no id_to_token). */
	private static String[] vocabulary(Path file) {
		JsonNode root;
		try {
			root = JSON.readTree(file.toFile());
		}
		catch (IOException ex) {
			throw new TokenizerException(file + ": not valid JSON: " + ex.getMessage(), ex);
		}
		Map<Integer, String> byId = new HashMap<>();
		JsonNode vocab = root.path("model").path("vocab");
		if (vocab.isObject()) {
			vocab.fields().forEachRemaining(e -> byId.put(e.getValue().asInt(), e.getKey()));
		}
		else if (vocab.isArray()) {
			// Unigram models store [piece, score] pairs in id order
			for (int i = 0; i < vocab.size(); i++) {
				byId.put(i, vocab.get(i).get(0).asText());
			}
		}
		for (JsonNode added : root.path("added_tokens")) {
			byId.put(added.path("id").asInt(), added.path("content").asText());
		}
		if (byId.isEmpty()) {
			throw new TokenizerException(file + ": has no model.vocab (not a tokenizer.json?)");
		}
		int size = byId.keySet().stream().mapToInt(Integer::intValue).max().getAsInt() + 1;
		String[] out = new String[size];
		byId.forEach((id, token) -> out[id] = token);
		return out;
	}

	@Override
	public int[] encode(String text, boolean addBos) {
		long[] ids = this.tokenizer.encode(text, false, false).getIds();
		int offset = addBos && this.bosId >= 0 ? 1 : 0;
		int[] out = new int[ids.length + offset];
		if (offset == 1) {
			out[0] = this.bosId;
		}
		for (int i = 0; i < ids.length; i++) {
			out[i + offset] = (int) ids[i];
		}
		return out;
	}

	@Override
	public String decode(int[] ids) {
		long[] l = new long[ids.length];
		for (int i = 0; i < ids.length; i++) {
			if (ids[i] < 0 || ids[i] >= this.idToToken.length) {
				throw new IllegalArgumentException("token id " + ids[i] + " is outside the vocabulary [0, "
						+ this.idToToken.length + ")");
			}
			l[i] = ids[i];
		}
		return this.tokenizer.decode(l, true);
	}

	@Override
	public String tokenString(int id) {
		if (id < 0 || id >= this.idToToken.length) {
			throw new IllegalArgumentException("token id " + id + " is outside the vocabulary [0, " + this.idToToken.length + ")");
		}
		String t = this.idToToken[id];
		return t == null ? "" : t;
	}

	@Override
	public int vocabSize() {
		return this.idToToken.length;
	}

	@Override
	public int bosId() {
		return this.bosId;
	}

	@Override
	public int eosId() {
		return this.eosId;
	}

	@Override
	public void close() {
		this.tokenizer.close();
	}
}
