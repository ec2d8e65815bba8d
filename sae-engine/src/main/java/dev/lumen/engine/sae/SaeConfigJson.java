package dev.lumen.engine.sae;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import dev.lumen.engine.load.ConfigKeys;
import dev.lumen.engine.load.Strictness;
import dev.lumen.engine.model.TransformerLensProcessing;

/**
 * Reads and writes SAELens {@code cfg.json}.
 *
 * <p>Three generations of the file exist: the original flat one ({@code hook_point}, {@code hook_point_layer},
 * no {@code architecture}), the flat one of SAELens 3–5 ({@code hook_name}, {@code architecture},
 * {@code activation_fn_str}), and SAELens 6's, which moves provenance ({@code model_name}, {@code hook_name},
 * {@code context_size}, {@code prepend_bos}) into a nested {@code metadata} object. All are read. Every key is
 * either applied, on a list of keys that do not change inference ({@link #HARMLESS}, mostly training settings and
 * provenance), or refused through {@link Strictness}; options Lumen cannot compute are refused always. Lumen writes the SAELens 6 layout and repeats the provenance keys at the top level so that older
 * SAELens versions load the file too.
 */
public final class SaeConfigJson {

	/** Lumen's own key for the folded input scaling constant (other tools ignore it). */
	static final String SCALING_FACTOR_KEY = "lumen_activation_scaling_factor";

	private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

	/** Top-level keys whose values inference reads (see docs/sae.md for what each does). */
	static final Set<String> UNDERSTOOD = Set.of("architecture", "d_in", "d_sae", "expansion_factor", "dtype",
			"apply_b_dec_to_input", "normalize_activations", "reshape_activations", "k", "rescale_acts_by_decoder_norm",
			"activation_fn_str", "activation_fn_kwargs", "hook_name", "hook_point", "hook_layer", "hook_point_layer",
			"hook_head_index", "hook_point_head_index", "model_name", "context_size", "prepend_bos", "metadata",
			"finetuning_scaling_factor", "model_from_pretrained_kwargs", "activation_fn", SCALING_FACTOR_KEY);

	/** Keys that change nothing at inference: the device, training hyper-parameters and provenance. */
	static final Set<String> HARMLESS = Set.of("device", "decoder_init_norm", "use_sparse_activations",
			"aux_loss_coefficient", "topk_threshold_lr", "matryoshka_widths", "l1_coefficient", "lp_norm",
			"l1_warm_up_steps", "l0_coefficient", "l0_warm_up_steps", "jumprelu_bandwidth", "jumprelu_init_threshold",
			"jumprelu_sparsity_loss_mode", "jumprelu_tanh_scale", "pre_act_loss_coefficient", "dataset_path",
			"dataset_trust_remote_code", "sae_lens_version", "sae_lens_training_version", "neuronpedia_id",
			"model_class_name", "seqpos_slice", "exclude_special_tokens",
			"sequence_separator_token", "disable_concat_sequences", "init_encoder_as_decoder_transpose",
			// SAELens 0-5 wrote its whole training run configuration into cfg.json
			"is_dataset_tokenized", "use_cached_activations", "cached_activations_path", "n_batches_in_buffer",
			"total_training_tokens", "training_tokens", "store_batch_size", "seed", "b_dec_init_method",
			"from_pretrained_path", "lr", "lr_scheduler_name", "lr_warm_up_steps", "lr_end", "lr_decay_steps",
			"train_batch_size", "train_batch_size_tokens", "use_ghost_grads", "feature_sampling_window",
			"feature_sampling_method", "resample_batches", "feature_reinit_scale", "dead_feature_window",
			"dead_feature_estimation_method", "dead_feature_threshold", "log_to_wandb", "wandb_project", "wandb_entity",
			"wandb_id", "wandb_log_frequency", "eval_every_n_wandb_logs", "n_checkpoints", "checkpoint_path",
			"tokens_per_buffer", "run_name", "streaming", "autocast", "autocast_lm", "compile_llm", "compile_sae",
			"llm_compilation_mode", "sae_compilation_mode", "adam_beta1", "adam_beta2", "mse_loss_normalization",
			"scale_sparsity_penalty_by_decoder_norm", "decoder_orthogonal_init", "decoder_heuristic_init",
			"normalize_sae_decoder", "noise_scale", "eval_batch_size_prompts", "n_eval_batches", "verbose",
			"model_kwargs", "act_store_device", "llm_dtype", "dead_feature_window_size", "sparsity_log_frequency");

	/** Keys of the SAELens 6 {@code metadata} object that Lumen reads. */
	static final Set<String> METADATA_UNDERSTOOD = Set.of("model_name", "hook_name", "hook_layer", "hook_head_index",
			"context_size", "prepend_bos", "model_from_pretrained_kwargs");

	/** TransformerLens {@code from_pretrained} arguments that only place the model (device, GPUs). */
	static final Set<String> KWARGS_HARMLESS = Set.of("device", "n_devices", "move_to_device");

	/** The file {@code lumen pull-sae} writes next to a release's cfg.json: SAELens' config_overrides for it. */
	public static final String OVERRIDES_FILE = "config_overrides.json";

	/** Architectures SAELens writes that load as one of Lumen's, with the same inference function (docs/sae.md). */
	static final Map<String, SaeArchitecture> EQUIVALENT = Map.of("gated", SaeArchitecture.JUMPRELU,
			"matryoshka_batchtopk", SaeArchitecture.BATCHTOPK);

	private SaeConfigJson() {
	}

	/**
	 * Checks every key of a cfg.json and the inference options Lumen cannot compute, then parses it.
	 * @param where the file, for messages
	 * @throws IllegalArgumentException naming the key, its value and what is supported
	 */
	public static SaeConfig parse(JsonNode root, String where, Strictness strictness) {
		ConfigKeys.check(root, where, UNDERSTOOD, HARMLESS, strictness, IllegalArgumentException::new);
		JsonNode meta = root.path("metadata");
		if (meta.isObject()) {
			ConfigKeys.check(meta, where + " metadata", METADATA_UNDERSTOOD, HARMLESS, strictness,
					IllegalArgumentException::new);
		}
		for (JsonNode scope : new JsonNode[] { root, meta }) {
			for (String key : new String[] { "hook_head_index", "hook_point_head_index" }) {
				if (scope.hasNonNull(key)) {
					throw new IllegalArgumentException(key + " = " + scope.get(key) + ": SAEs on one attention head's "
							+ "activations are not supported; valid: null");
				}
			}
		}
		String reshape = root.path("reshape_activations").asText("none");
		if (!reshape.equals("none")) {
			throw new IllegalArgumentException("reshape_activations = \"" + reshape + "\" is not supported (Lumen feeds SAEs "
					+ "[..., d_in] activations and does not flatten attn.hook_z heads); valid: none");
		}
		modelProcessing(root, meta, where, strictness);
		if (root.path("finetuning_scaling_factor").asBoolean(false)) {
			throw new IllegalArgumentException("finetuning_scaling_factor = true is not supported; valid: false");
		}
		// activation_fn: what SAELens' Gemma Scope loader writes
		String fn = root.path("activation_fn_str").asText(root.path("activation_fn").asText("relu"));
		if (!fn.equals("relu") && !fn.equals("topk")) {
			throw new IllegalArgumentException("activation_fn_str / activation_fn = \"" + fn + "\" is not supported; valid: relu, topk");
		}
		if (root.path("rescale_acts_by_decoder_norm").asBoolean(false)
				&& !Set.of("topk", "batchtopk", "matryoshka_batchtopk").contains(root.path("architecture").asText("topk"))) {
			throw new IllegalArgumentException("rescale_acts_by_decoder_norm applies to topk and batchtopk SAEs only, not to "
					+ root.path("architecture").asText());
		}
		return parse(root);
	}

	/**
	 * SAELens loads the model an SAE is used with as {@code HookedTransformer.from_pretrained_no_processing(name,
	 * **model_from_pretrained_kwargs)} (its {@code load_model}), so no key means no processing; each of
	 * {@link TransformerLensProcessing#KEYS} turns one step on. Other keys are refused by name (placement keys such as
	 * {@code n_devices} excepted); {@code refactor_factored_attn_matrices: true} is refused always.
	 */
	static TransformerLensProcessing modelProcessing(JsonNode root, JsonNode meta, String where, Strictness strictness) {
		JsonNode kwargs = root.hasNonNull("model_from_pretrained_kwargs") ? root.get("model_from_pretrained_kwargs")
				: meta.path("model_from_pretrained_kwargs");
		if (kwargs.isMissingNode() || kwargs.isNull()) {
			return TransformerLensProcessing.NONE;
		}
		if (!kwargs.isObject()) {
			throw new IllegalArgumentException("model_from_pretrained_kwargs = " + kwargs + " is not an object");
		}
		ConfigKeys.check(kwargs, where + " model_from_pretrained_kwargs",
				ConfigKeys.union(TransformerLensProcessing.KEYS, "refactor_factored_attn_matrices"), KWARGS_HARMLESS,
				strictness, IllegalArgumentException::new);
		if (kwargs.path("refactor_factored_attn_matrices").asBoolean(false)) {
			throw new IllegalArgumentException("model_from_pretrained_kwargs.refactor_factored_attn_matrices = true is not "
					+ "supported (it changes hook_q/k/v/z); valid: false");
		}
		boolean[] on = new boolean[TransformerLensProcessing.KEYS.size()];
		for (int i = 0; i < on.length; i++) {
			JsonNode v = kwargs.path(TransformerLensProcessing.KEYS.get(i));
			if (!v.isMissingNode() && !v.isBoolean()) {
				throw new IllegalArgumentException("model_from_pretrained_kwargs." + TransformerLensProcessing.KEYS.get(i)
						+ " = " + v + " is not a boolean");
			}
			on[i] = v.asBoolean(false);
		}
		return new TransformerLensProcessing(on[0], on[1], on[2], on[3]);
	}

	/**
	 * Reads a {@code cfg.json} file.
	 * @throws SaeFormatException naming the file and the missing or invalid key
	 */
	public static SaeConfig read(Path file) {
		return read(file, Strictness.fromSystem());
	}

	/**
	 * Reads a {@code cfg.json} file, checking every key.
	 * @throws SaeFormatException naming the file, the key, its value and what is supported
	 */
	public static SaeConfig read(Path file, Strictness strictness) {
		JsonNode root = withOverrides(tree(file), file.resolveSibling(OVERRIDES_FILE));
		try {
			return parse(root, file.toString(), strictness);
		}
		catch (IllegalArgumentException ex) {
			throw new SaeFormatException(ex.getMessage().startsWith(file.toString()) ? ex.getMessage() : file + ": " + ex.getMessage(), ex);
		}
	}

	/**
	 * Applies SAELens' {@code config_overrides} of a release (written by {@code lumen pull-sae} next to cfg.json) as
	 * SAELens does when it loads the release: each top-level key replaces the file's.
	 */
	static JsonNode withOverrides(JsonNode root, Path overrides) {
		if (!Files.isRegularFile(overrides)) {
			return root;
		}
		JsonNode extra = tree(overrides);
		ObjectNode merged = ((ObjectNode) root).deepCopy();
		extra.fields().forEachRemaining(e -> merged.set(e.getKey(), e.getValue()));
		return merged;
	}

	/**
	 * Reads a {@code cfg.json} as JSON.
	 * @throws SaeFormatException when it is unreadable or not an object
	 */
	static JsonNode tree(Path file) {
		JsonNode root;
		try {
			root = JSON.readTree(Files.readString(file));
		}
		catch (IOException ex) {
			throw new SaeFormatException(file + ": cannot read SAE config: " + ex.getMessage(), ex);
		}
		if (root == null || !root.isObject()) {
			throw new SaeFormatException(file + ": SAE config is not a JSON object");
		}
		return root;
	}

	/** Parses a config tree (see the class comment for the accepted layouts). */
	public static SaeConfig parse(JsonNode root) {
		JsonNode meta = root.path("metadata");
		int dIn = requiredInt(root, "d_in");
		int dSae = root.hasNonNull("d_sae") ? root.get("d_sae").asInt()
				: root.hasNonNull("expansion_factor") ? dIn * root.get("expansion_factor").asInt() : requiredInt(root, "d_sae");
		String hookName = text(root, meta, null, "hook_name", "hook_point");
		if (hookName == null) {
			throw new IllegalArgumentException("missing key 'hook_name' (or 'hook_point', or metadata.hook_name)");
		}
		String layer = text(root, meta, null, "hook_layer", "hook_point_layer");
		int hookLayer = layer != null ? Integer.parseInt(layer) : SaeConfig.layerOf(hookName);
		SaeArchitecture architecture = architecture(root);
		// BatchTopK's k is an average over a training batch (a float in SAELens) and plays no part in inference
		int k = architecture == SaeArchitecture.BATCHTOPK ? 0
				: root.path("k").asInt(root.path("activation_fn_kwargs").path("k").asInt(0));
		String dtype = text(root, meta, "float32", "dtype").replace("torch.", "");
		String context = text(root, meta, "0", "context_size");
		String bos = text(root, meta, "true", "prepend_bos");
		return new SaeConfig(dIn, dSae, dtype, architecture, hookName, hookLayer, text(root, meta, "", "model_name"),
				Integer.parseInt(context), root.path("apply_b_dec_to_input").asBoolean(true),
				text(root, meta, "none", "normalize_activations"), k, Boolean.parseBoolean(bos),
				root.path(SCALING_FACTOR_KEY).asDouble(1.0), modelProcessing(root, meta, "cfg.json", Strictness.LENIENT));
	}

	private static SaeArchitecture architecture(JsonNode root) {
		if (root.hasNonNull("architecture")) {
			String id = root.get("architecture").asText();
			if (EQUIVALENT.containsKey(id)) {
				return EQUIVALENT.get(id);
			}
			try {
				return SaeArchitecture.fromId(id);
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException(ex.getMessage() + ", " + String.join(", ", EQUIVALENT.keySet()
					.stream().sorted().toList()), ex);
			}
		}
		// SAELens 3-4 marked TopK SAEs only through the activation function
		if ("topk".equals(root.path("activation_fn_str").asText())) {
			return SaeArchitecture.TOPK;
		}
		return SaeArchitecture.STANDARD;
	}

	private static int requiredInt(JsonNode root, String key) {
		JsonNode n = root.get(key);
		if (n == null || !n.canConvertToInt()) {
			throw new IllegalArgumentException("missing or non-integer key '" + key + "'");
		}
		return n.asInt();
	}

	/** The first non-null value among the keys, looked up at the top level and then in {@code metadata}. */
	private static String text(JsonNode root, JsonNode meta, String fallback, String... keys) {
		for (JsonNode scope : new JsonNode[] { root, meta }) {
			for (String key : keys) {
				JsonNode n = scope.get(key);
				if (n != null && !n.isNull()) {
					return n.asText();
				}
			}
		}
		return fallback;
	}

	/** @return the config as a SAELens 6 {@code cfg.json} tree with the provenance also at the top level */
	public static ObjectNode toJson(SaeConfig cfg) {
		ObjectNode root = JSON.createObjectNode();
		root.put("architecture", cfg.architecture().id());
		root.put("d_in", cfg.dIn());
		root.put("d_sae", cfg.dSae());
		root.put("dtype", cfg.dtype());
		root.put("device", "cpu");
		root.put("apply_b_dec_to_input", cfg.applyBDecToInput());
		// the scaling constant is folded into the weights, so loaders must not rescale again
		root.put("normalize_activations", "none");
		root.put("reshape_activations", "none");
		if (cfg.architecture().needsK()) {
			root.put("k", cfg.k());
			// Lumen's TopK does not rescale activations by decoder norms; say so for SAELens 6
			root.put("rescale_acts_by_decoder_norm", false);
		}
		ObjectNode meta = root.putObject("metadata");
		meta.put("model_name", cfg.modelName());
		meta.put("hook_name", cfg.hookName());
		meta.put("context_size", cfg.contextSize());
		meta.put("prepend_bos", cfg.prependBos());
		meta.put("sae_lens_training_version", "lumen");
		// SAELens 3-5 read these from the top level
		root.put("model_name", cfg.modelName());
		root.put("hook_name", cfg.hookName());
		root.put("hook_layer", cfg.hookLayer());
		root.putNull("hook_head_index");
		root.put("context_size", cfg.contextSize());
		root.put("prepend_bos", cfg.prependBos());
		root.put("activation_fn_str", cfg.architecture() == SaeArchitecture.TOPK ? "topk" : "relu");
		root.put(SCALING_FACTOR_KEY, cfg.activationScalingFactor());
		// what SAELens passes to from_pretrained_no_processing for this SAE (all false: Lumen's unprocessed model)
		ObjectNode kwargs = root.putObject("model_from_pretrained_kwargs");
		cfg.modelProcessing().asKwargs().forEach(kwargs::put);
		meta.set("model_from_pretrained_kwargs", kwargs.deepCopy());
		return root;
	}

	/** @return the config as pretty-printed {@code cfg.json} text */
	public static String toJsonString(SaeConfig cfg) {
		try {
			return JSON.writeValueAsString(toJson(cfg));
		}
		catch (IOException ex) {
			throw new IllegalStateException("cannot serialise SAE config", ex);
		}
	}
}
