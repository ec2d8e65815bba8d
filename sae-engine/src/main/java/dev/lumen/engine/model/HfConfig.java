package dev.lumen.engine.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lumen.engine.load.ConfigKeys;
import dev.lumen.engine.load.Strictness;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Parses a Hugging Face {@code config.json} into a {@link ModelConfig}, per architecture, in the layouts
 * transformers 4 and 5 write. Every key is either read and applied, on a list of keys that do not change the
 * computation ({@link #HARMLESS}), or refused through {@link Strictness}; values Lumen cannot compute are refused
 * always. The supported keys are tabulated in docs/engine.md.
 */
public final class HfConfig {

	private static final ObjectMapper JSON = new ObjectMapper();

	/** Keys of every architecture that change nothing Lumen computes (provenance, training-only, generation defaults). */
	static final Set<String> HARMLESS = Set.of("_name_or_path", "transformers_version", "torch_dtype", "dtype",
			"model_type", "use_cache", "initializer_range", "pad_token_id", "attention_dropout", "hidden_dropout",
			"classifier_dropout", "embd_pdrop", "resid_pdrop", "attn_pdrop", "summary_type", "summary_use_proj",
			"summary_activation", "summary_proj_to_labels", "summary_first_dropout", "task_specific_params", "is_decoder",
			"output_attentions", "output_hidden_states", "return_dict", "tokenizer_class", "id2label", "label2id",
			"problem_type", "gradient_checkpointing", "cache_implementation", "pretraining_tp", "reorder_and_upcast_attn");

	private static final Set<String> COMMON = Set.of("architectures", "vocab_size", "bos_token_id", "eos_token_id",
			"tie_word_embeddings");

	private static final Set<String> LLAMA = keys(COMMON, HfRope.TOP_LEVEL_KEYS, "hidden_size", "intermediate_size",
			"num_hidden_layers", "num_attention_heads", "num_key_value_heads", "head_dim", "hidden_act",
			"max_position_embeddings", "rms_norm_eps", "attention_bias", "mlp_bias");

	private static final Set<String> GPT2 = keys(COMMON, Set.of(), "n_embd", "n_layer", "n_head", "n_inner", "n_positions",
			"n_ctx", "layer_norm_epsilon", "activation_function", "scale_attn_weights", "scale_attn_by_inverse_layer_idx",
			"add_cross_attention");

	private static final Set<String> NEOX = keys(COMMON, HfRope.TOP_LEVEL_KEYS, "hidden_size", "intermediate_size",
			"num_hidden_layers", "num_attention_heads", "max_position_embeddings", "layer_norm_eps", "hidden_act",
			"use_parallel_residual", "attention_bias");

	private static final Set<String> GEMMA2 = keys(COMMON, HfRope.TOP_LEVEL_KEYS, "hidden_size", "intermediate_size",
			"num_hidden_layers", "num_attention_heads", "num_key_value_heads", "head_dim", "hidden_act", "hidden_activation",
			"max_position_embeddings", "rms_norm_eps", "attention_bias", "query_pre_attn_scalar", "attn_logit_softcapping",
			"final_logit_softcapping", "sliding_window", "layer_types", "use_bidirectional_attention");

	private HfConfig() {
	}

	/** Reads a config.json strictly, or as {@code -Dlumen.engine.lenient} says (see {@link Strictness#fromSystem()}). */
	public static ModelConfig read(Path file) {
		return read(file, Strictness.fromSystem());
	}

	/**
	 * Reads and parses a config.json file.
	 * @throws ModelLoadException naming the file, the key, its value and what is supported
	 */
	public static ModelConfig read(Path file, Strictness strictness) {
		JsonNode root;
		try {
			root = JSON.readTree(file.toFile());
		}
		catch (IOException ex) {
			throw new ModelLoadException(file + ": cannot read config: " + ex.getMessage(), ex);
		}
		try {
			return parse(root, file.toString(), strictness);
		}
		catch (IllegalArgumentException ex) {
			throw new ModelLoadException(ex.getMessage().startsWith(file.toString()) ? ex.getMessage() : file + ": " + ex.getMessage(), ex);
		}
	}

	/** Parses strictly; see {@link #parse(JsonNode, String, Strictness)}. */
	public static ModelConfig parse(JsonNode root) {
		return parse(root, "config.json", Strictness.STRICT);
	}

	/**
	 * Parses the JSON of a config.json.
	 * @param where the file name, for messages
	 * @throws IllegalArgumentException for an unknown architecture, a missing field or a key that is not understood
	 */
	public static ModelConfig parse(JsonNode root, String where, Strictness strictness) {
		JsonNode archs = root.get("architectures");
		if (archs == null || !archs.isArray() || archs.isEmpty()) {
			throw new IllegalArgumentException("no \"architectures\" list");
		}
		if (archs.size() > 1) {
			throw new IllegalArgumentException("\"architectures\" = " + archs + " names several classes; expected one");
		}
		Architecture arch = Architecture.fromHfName(archs.get(0).asText());
		if (root.hasNonNull("quantization_config")) {
			throw new IllegalArgumentException("key 'quantization_config' = " + root.get("quantization_config")
					+ ": quantized checkpoints are not supported; use the float16/bfloat16/float32 weights");
		}
		Set<String> understood = switch (arch) {
			case LLAMA -> LLAMA;
			case GPT2 -> GPT2;
			case GPT_NEOX -> NEOX;
			case GEMMA2 -> GEMMA2;
		};
		ConfigKeys.check(root, where + " (" + arch.hfName() + ")", understood, HARMLESS, strictness,
				IllegalArgumentException::new);
		return switch (arch) {
			case LLAMA -> llama(root, where, strictness);
			case GPT2 -> gpt2(root);
			case GPT_NEOX -> neox(root, where, strictness);
			case GEMMA2 -> gemma2(root, where, strictness);
		};
	}

	private static ModelConfig llama(JsonNode r, String where, Strictness strictness) {
		int d = req(r, "hidden_size");
		int heads = req(r, "num_attention_heads");
		int dHead = opt(r, "head_dim", d / heads);
		requireValue(r, "hidden_act", "silu", "silu");
		HfRope.Rope rope = HfRope.read(r, where, 10000, strictness);
		if (rope.partialFactor() != 1) {
			// transformers' Llama rotates whole heads: a partial factor makes its cos/sin too short for q and k
			throw new IllegalArgumentException("partial_rotary_factor " + rope.partialFactor()
					+ " is not supported for LlamaForCausalLM (transformers cannot run it either); valid: 1.0");
		}
		return new ModelConfig(Architecture.LLAMA, d, req(r, "num_hidden_layers"), heads,
				opt(r, "num_key_value_heads", heads), dHead, req(r, "intermediate_size"), req(r, "vocab_size"),
				opt(r, "max_position_embeddings", 2048), tokenId(r, "bos_token_id", -1), tokenId(r, "eos_token_id", -1),
				(float) r.path("rms_norm_eps").asDouble(1e-6), (float) rope.theta(), dHead, rope.scaling(),
				(float) (1 / Math.sqrt(dHead)), 0, 0, 0, false, r.path("tie_word_embeddings").asBoolean(false),
				r.path("attention_bias").asBoolean(false), r.path("mlp_bias").asBoolean(false));
	}

	private static ModelConfig gpt2(JsonNode r) {
		int d = req(r, "n_embd");
		int heads = req(r, "n_head");
		int dMlp = r.hasNonNull("n_inner") ? r.get("n_inner").asInt() : 4 * d;
		requireValue(r, "activation_function", "gelu_new", "gelu_new", "gelu_pytorch_tanh");
		requireValue(r, "scale_attn_weights", "true", "true");
		requireValue(r, "scale_attn_by_inverse_layer_idx", "false", "false");
		requireValue(r, "add_cross_attention", "false", "false");
		int positions = req(r, "n_positions");
		if (r.hasNonNull("n_ctx") && r.get("n_ctx").asInt() != positions) {
			throw new IllegalArgumentException("n_ctx = " + r.get("n_ctx") + " differs from n_positions = " + positions);
		}
		return new ModelConfig(Architecture.GPT2, d, req(r, "n_layer"), heads, heads, d / heads, dMlp,
				req(r, "vocab_size"), positions, tokenId(r, "bos_token_id", 50256), tokenId(r, "eos_token_id", 50256),
				(float) r.path("layer_norm_epsilon").asDouble(1e-5), 0, 0, null, (float) (1 / Math.sqrt(d / heads)), 0, 0, 0,
				false, r.path("tie_word_embeddings").asBoolean(true), true, true);
	}

	private static ModelConfig neox(JsonNode r, String where, Strictness strictness) {
		int d = req(r, "hidden_size");
		int heads = req(r, "num_attention_heads");
		int dHead = d / heads;
		requireValue(r, "hidden_act", "gelu", "gelu");
		HfRope.Rope rope = HfRope.read(r, where, 10000, strictness);
		return new ModelConfig(Architecture.GPT_NEOX, d, req(r, "num_hidden_layers"), heads, heads, dHead,
				req(r, "intermediate_size"), req(r, "vocab_size"), opt(r, "max_position_embeddings", 2048),
				tokenId(r, "bos_token_id", 0), tokenId(r, "eos_token_id", 0), (float) r.path("layer_norm_eps").asDouble(1e-5),
				(float) rope.theta(), rope.rotaryDim(dHead), rope.scaling(), (float) (1 / Math.sqrt(dHead)), 0, 0, 0,
				r.path("use_parallel_residual").asBoolean(true), r.path("tie_word_embeddings").asBoolean(false),
				r.path("attention_bias").asBoolean(true), true);
	}

	private static ModelConfig gemma2(JsonNode r, String where, Strictness strictness) {
		int d = req(r, "hidden_size");
		int heads = req(r, "num_attention_heads");
		int dHead = opt(r, "head_dim", d / heads);
		double queryScalar = r.path("query_pre_attn_scalar").asDouble(dHead);
		String act = r.path("hidden_activation").asText(r.path("hidden_act").asText("gelu_pytorch_tanh"));
		if (!act.equals("gelu_pytorch_tanh")) {
			throw new IllegalArgumentException("hidden_activation '" + act + "' is not supported; valid: gelu_pytorch_tanh");
		}
		requireValue(r, "attention_bias", "false", "false");
		requireValue(r, "use_bidirectional_attention", "false", "false");
		HfRope.Rope rope = HfRope.read(r, where, 10000, strictness);
		if (rope.scaling() != null || rope.partialFactor() != 1) {
			throw new IllegalArgumentException("Gemma2ForCausalLM with rope scaling or a partial rotary factor is not supported");
		}
		int layers = req(r, "num_hidden_layers");
		int window = r.path("sliding_window").asInt(0);
		checkGemmaLayerTypes(r.get("layer_types"), layers, window);
		return new ModelConfig(Architecture.GEMMA2, d, layers, heads, opt(r, "num_key_value_heads", heads), dHead,
				req(r, "intermediate_size"), req(r, "vocab_size"), opt(r, "max_position_embeddings", 8192),
				tokenId(r, "bos_token_id", 2), tokenId(r, "eos_token_id", 1), (float) r.path("rms_norm_eps").asDouble(1e-6),
				(float) rope.theta(), dHead, null, (float) (1 / Math.sqrt(queryScalar)),
				(float) r.path("attn_logit_softcapping").asDouble(0), (float) r.path("final_logit_softcapping").asDouble(0),
				window, false, r.path("tie_word_embeddings").asBoolean(true), false, false);
	}

	/** transformers 5 lists Gemma 2's alternation; Lumen computes sliding even layers and full odd ones only. */
	private static void checkGemmaLayerTypes(JsonNode types, int layers, int window) {
		if (types == null || types.isNull()) {
			return;
		}
		for (int l = 0; l < layers; l++) {
			String expected = window > 0 && l % 2 == 0 ? "sliding_attention" : "full_attention";
			if (!types.path(l).asText().equals(expected)) {
				throw new IllegalArgumentException("layer_types[" + l + "] = " + types.path(l) + "; Lumen computes Gemma 2's "
						+ "alternation only (sliding_attention on even layers, full_attention on odd ones)");
			}
		}
	}

	/** A key whose only supported values are {@code valid}; absent means {@code fallback}. */
	private static void requireValue(JsonNode r, String key, String fallback, String... valid) {
		String actual = r.hasNonNull(key) ? r.get(key).asText() : fallback;
		if (!List.of(valid).contains(actual)) {
			throw new IllegalArgumentException("key '" + key + "' = " + r.get(key) + " is not supported; valid: "
					+ String.join(", ", valid));
		}
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

	private static Set<String> keys(Set<String> a, Set<String> b, String... more) {
		return ConfigKeys.union(ConfigKeys.union(a, b.toArray(new String[0])), more);
	}
}
