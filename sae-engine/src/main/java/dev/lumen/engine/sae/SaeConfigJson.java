package dev.lumen.engine.sae;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads and writes SAELens {@code cfg.json}.
 *
 * <p>Three generations of the file exist: the original flat one ({@code hook_point}, {@code hook_point_layer},
 * no {@code architecture}), the flat one of SAELens 3–5 ({@code hook_name}, {@code architecture},
 * {@code activation_fn_str}), and SAELens 6's, which moves provenance ({@code model_name}, {@code hook_name},
 * {@code context_size}, {@code prepend_bos}) into a nested {@code metadata} object. All are read; unknown keys
 * are ignored. Lumen writes the SAELens 6 layout and repeats the provenance keys at the top level so that older
 * SAELens versions load the file too.
 */
public final class SaeConfigJson {

	/** Lumen's own key for the folded input scaling constant (other tools ignore it). */
	static final String SCALING_FACTOR_KEY = "lumen_activation_scaling_factor";

	private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

	private SaeConfigJson() {
	}

	/**
	 * Reads a {@code cfg.json} file.
	 * @throws SaeFormatException naming the file and the missing or invalid key
	 */
	public static SaeConfig read(Path file) {
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
		try {
			return parse(root);
		}
		catch (IllegalArgumentException ex) {
			throw new SaeFormatException(file + ": " + ex.getMessage(), ex);
		}
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
		int k = root.path("k").asInt(root.path("activation_fn_kwargs").path("k").asInt(0));
		String dtype = text(root, meta, "float32", "dtype").replace("torch.", "");
		String context = text(root, meta, "0", "context_size");
		String bos = text(root, meta, "true", "prepend_bos");
		return new SaeConfig(dIn, dSae, dtype, architecture, hookName, hookLayer, text(root, meta, "", "model_name"),
				Integer.parseInt(context), root.path("apply_b_dec_to_input").asBoolean(true),
				text(root, meta, "none", "normalize_activations"), k, Boolean.parseBoolean(bos),
				root.path(SCALING_FACTOR_KEY).asDouble(1.0));
	}

	private static SaeArchitecture architecture(JsonNode root) {
		if (root.hasNonNull("architecture")) {
			return SaeArchitecture.fromId(root.get("architecture").asText());
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
