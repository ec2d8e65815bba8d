package dev.lumen.engine.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;

/** Parses a Hugging Face {@code config.json} into a {@link ModelConfig}, per architecture. */
public final class HfConfig {

	private static final ObjectMapper JSON = new ObjectMapper();

	private HfConfig() {
	}

	/**
	 * Reads and parses a config.json file.
	 * @throws ModelLoadException naming the file when it is unreadable, of an unknown architecture or incomplete
	 */
	public static ModelConfig read(Path file) {
		JsonNode root;
		try {
			root = JSON.readTree(file.toFile());
		}
		catch (IOException ex) {
			throw new ModelLoadException(file + ": cannot read config: " + ex.getMessage(), ex);
		}
		try {
			return parse(root);
		}
		catch (IllegalArgumentException ex) {
			throw new ModelLoadException(file + ": " + ex.getMessage(), ex);
		}
	}

	/**
	 * Parses the JSON of a config.json.
	 * @throws IllegalArgumentException for an unknown architecture or a missing field
	 */
	public static ModelConfig parse(JsonNode root) {
		JsonNode archs = root.get("architectures");
		if (archs == null || !archs.isArray() || archs.isEmpty()) {
			throw new IllegalArgumentException("no \"architectures\" list");
		}
		Architecture arch = Architecture.fromHfName(archs.get(0).asText());
		return switch (arch) {
			case LLAMA -> llama(root);
			case GPT2 -> gpt2(root);
			case GPT_NEOX -> neox(root);
			case GEMMA2 -> gemma2(root);
		};
	}

	private static ModelConfig llama(JsonNode r) {
		int d = req(r, "hidden_size");
		int heads = req(r, "num_attention_heads");
		int dHead = opt(r, "head_dim", d / heads);
		String act = r.path("hidden_act").asText("silu");
		if (!act.equals("silu")) {
			throw new IllegalArgumentException("LlamaForCausalLM with hidden_act '" + act + "' is not supported; valid: silu");
		}
		return new ModelConfig(Architecture.LLAMA, d, req(r, "num_hidden_layers"), heads,
				opt(r, "num_key_value_heads", heads), dHead, req(r, "intermediate_size"), req(r, "vocab_size"),
				opt(r, "max_position_embeddings", 2048), tokenId(r, "bos_token_id", -1), tokenId(r, "eos_token_id", -1),
				(float) r.path("rms_norm_eps").asDouble(1e-6), (float) r.path("rope_theta").asDouble(10000), dHead,
				ropeScaling(r.get("rope_scaling")), (float) (1 / Math.sqrt(dHead)), 0, 0, 0);
	}

	private static ModelConfig gpt2(JsonNode r) {
		int d = req(r, "n_embd");
		int heads = req(r, "n_head");
		int dMlp = r.hasNonNull("n_inner") ? r.get("n_inner").asInt() : 4 * d;
		requireActivation(r.path("activation_function").asText("gelu_new"), "activation_function", "gelu_new",
				"gelu_pytorch_tanh");
		return new ModelConfig(Architecture.GPT2, d, req(r, "n_layer"), heads, heads, d / heads, dMlp,
				req(r, "vocab_size"), req(r, "n_positions"), tokenId(r, "bos_token_id", 50256),
				tokenId(r, "eos_token_id", 50256), (float) r.path("layer_norm_epsilon").asDouble(1e-5), 0, 0, null,
				(float) (1 / Math.sqrt(d / heads)), 0, 0, 0);
	}

	private static ModelConfig neox(JsonNode r) {
		if (!r.path("use_parallel_residual").asBoolean(true)) {
			throw new IllegalArgumentException("GPTNeoXForCausalLM with use_parallel_residual=false is not supported");
		}
		int d = req(r, "hidden_size");
		int heads = req(r, "num_attention_heads");
		int dHead = d / heads;
		int rotaryDim = (int) (dHead * r.path("rotary_pct").asDouble(1.0));
		requireActivation(r.path("hidden_act").asText("gelu"), "hidden_act", "gelu");
		double base = r.has("rotary_emb_base") ? r.get("rotary_emb_base").asDouble() : r.path("rope_theta").asDouble(10000);
		return new ModelConfig(Architecture.GPT_NEOX, d, req(r, "num_hidden_layers"), heads, heads, dHead,
				req(r, "intermediate_size"), req(r, "vocab_size"), opt(r, "max_position_embeddings", 2048),
				tokenId(r, "bos_token_id", 0), tokenId(r, "eos_token_id", 0), (float) r.path("layer_norm_eps").asDouble(1e-5),
				(float) base, rotaryDim, null, (float) (1 / Math.sqrt(dHead)), 0, 0, 0);
	}

	private static ModelConfig gemma2(JsonNode r) {
		int d = req(r, "hidden_size");
		int heads = req(r, "num_attention_heads");
		int dHead = opt(r, "head_dim", d / heads);
		double queryScalar = r.path("query_pre_attn_scalar").asDouble(dHead);
		requireActivation(r.path("hidden_activation").asText(r.path("hidden_act").asText("gelu_pytorch_tanh")),
				"hidden_activation", "gelu_pytorch_tanh");
		return new ModelConfig(Architecture.GEMMA2, d, req(r, "num_hidden_layers"), heads,
				opt(r, "num_key_value_heads", heads), dHead, req(r, "intermediate_size"), req(r, "vocab_size"),
				opt(r, "max_position_embeddings", 8192), tokenId(r, "bos_token_id", 2), tokenId(r, "eos_token_id", 1),
				(float) r.path("rms_norm_eps").asDouble(1e-6), (float) r.path("rope_theta").asDouble(10000), dHead, null,
				(float) (1 / Math.sqrt(queryScalar)), (float) r.path("attn_logit_softcapping").asDouble(0),
				(float) r.path("final_logit_softcapping").asDouble(0), r.path("sliding_window").asInt(0));
	}

	private static void requireActivation(String actual, String field, String... valid) {
		if (!java.util.List.of(valid).contains(actual)) {
			throw new IllegalArgumentException(field + " '" + actual + "' is not supported; valid: " + String.join(", ", valid));
		}
	}

	private static RopeScaling ropeScaling(JsonNode s) {
		if (s == null || s.isNull()) {
			return null;
		}
		String type = s.path("rope_type").asText(s.path("type").asText(""));
		if (!type.equals("llama3")) {
			throw new IllegalArgumentException("rope_scaling type '" + type + "' is not supported; valid: llama3");
		}
		return new RopeScaling(s.path("factor").asDouble(), s.path("low_freq_factor").asDouble(),
				s.path("high_freq_factor").asDouble(), s.path("original_max_position_embeddings").asInt());
	}

	private static int req(JsonNode r, String field) {
		JsonNode n = r.get(field);
		if (n == null || !n.isNumber()) {
			throw new IllegalArgumentException("missing number \"" + field + "\"");
		}
		return n.asInt();
	}

	private static int opt(JsonNode r, String field, int fallback) {
		JsonNode n = r.get(field);
		return n == null || n.isNull() ? fallback : n.asInt();
	}

	/** Token ids may be a number, null or (eos of chat models) a list, whose first entry is taken. */
	private static int tokenId(JsonNode r, String field, int fallback) {
		JsonNode n = r.get(field);
		if (n == null || n.isNull()) {
			return fallback;
		}
		return n.isArray() ? (n.isEmpty() ? fallback : n.get(0).asInt()) : n.asInt();
	}
}
