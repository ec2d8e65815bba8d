package dev.lumen.engine.sae;

import dev.lumen.engine.model.TransformerLensProcessing;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an SAE is and where it reads from: the fields of SAELens' {@code cfg.json} that inference needs.
 *
 * @param dIn width of the hooked activation (the model's dModel for residual-stream SAEs)
 * @param dSae number of features
 * @param dtype storage dtype of the weights ({@code float32}, {@code float16}, {@code bfloat16}); Lumen computes in float32
 * @param architecture activation function
 * @param hookName TransformerLens hook the SAE reads, e.g. {@code blocks.1.hook_resid_post}
 * @param hookLayer layer of that hook, or -1 when the hook is not inside a block
 * @param modelName model the SAE was trained on
 * @param contextSize context length used in training (0 when unknown)
 * @param applyBDecToInput whether {@code b_dec} is subtracted from the input before encoding
 * @param normalizeActivations SAELens input normalisation; only {@code none} and {@code expected_average_only_in}
 *     (whose constant SAELens and Lumen fold into the weights on save) are accepted
 * @param k active features per token for TopK and BatchTopK, 0 for the others
 * @param prependBos whether training contexts started with BOS
 * @param modelProcessing the TransformerLens weight processing of the model the SAE's activations came from
 *     (SAELens: {@code from_pretrained_no_processing} plus {@code model_from_pretrained_kwargs}); consumers put its
 *     hooks before their own so that the SAE sees the activations it was trained on. Null means none.
 * @param activationScalingFactor the constant inputs were multiplied by in training so that E‖x‖² = dIn; already
 *     folded into the weights, kept for provenance (1 when unused)
 */
public record SaeConfig(int dIn, int dSae, String dtype, SaeArchitecture architecture, String hookName, int hookLayer,
		String modelName, int contextSize, boolean applyBDecToInput, String normalizeActivations, int k,
		boolean prependBos, double activationScalingFactor, TransformerLensProcessing modelProcessing) {

	/** Input normalisations whose effect lives in the weights, so inference needs no extra step. */
	public static final List<String> SUPPORTED_NORMALIZATIONS = List.of("none", "expected_average_only_in");

	private static final Pattern LAYER = Pattern.compile("^blocks\\.(\\d+)\\.");

	/** Validates the fields; every failure names the field and the allowed values. */
	public SaeConfig {
		if (dIn <= 0 || dSae <= 0) {
			throw new IllegalArgumentException("d_in and d_sae must be positive, got d_in=" + dIn + ", d_sae=" + dSae);
		}
		if (architecture == null) {
			throw new IllegalArgumentException("architecture is required");
		}
		if (hookName == null || hookName.isBlank()) {
			throw new IllegalArgumentException("hook_name is required (e.g. blocks.1.hook_resid_post)");
		}
		dtype = dtype == null ? "float32" : dtype;
		modelProcessing = modelProcessing == null ? TransformerLensProcessing.NONE : modelProcessing;
		modelName = modelName == null ? "" : modelName;
		normalizeActivations = normalizeActivations == null ? "none" : normalizeActivations;
		if (!SUPPORTED_NORMALIZATIONS.contains(normalizeActivations)) {
			throw new IllegalArgumentException("normalize_activations '" + normalizeActivations
					+ "' is not supported; valid: " + String.join(", ", SUPPORTED_NORMALIZATIONS));
		}
		if (architecture.needsK() && (k <= 0 || k > dSae)) {
			throw new IllegalArgumentException(architecture.id() + " needs k in [1, d_sae=" + dSae + "], got " + k);
		}
		if (!(activationScalingFactor > 0) || Double.isInfinite(activationScalingFactor)) {
			throw new IllegalArgumentException("activation scaling factor must be positive and finite, got "
					+ activationScalingFactor);
		}
	}

	/** Creates a config with SAELens defaults for everything but the shape, architecture and hook. */
	public static SaeConfig of(int dIn, int dSae, SaeArchitecture architecture, int k, String hookName, String modelName) {
		return new SaeConfig(dIn, dSae, "float32", architecture, hookName, layerOf(hookName), modelName, 0, true,
				"none", k, true, 1.0, TransformerLensProcessing.NONE);
	}

	/** @return the block index in a hook name such as {@code blocks.3.hook_resid_pre}, or -1 */
	public static int layerOf(String hookName) {
		Matcher m = LAYER.matcher(hookName);
		return m.find() ? Integer.parseInt(m.group(1)) : -1;
	}

	/** @return a copy with another activation scaling factor */
	public SaeConfig withActivationScalingFactor(double factor) {
		return new SaeConfig(dIn, dSae, dtype, architecture, hookName, hookLayer, modelName, contextSize,
				applyBDecToInput, normalizeActivations, k, prependBos, factor, modelProcessing);
	}

	/** @return a copy with another storage dtype name */
	public SaeConfig withDtype(String newDtype) {
		return new SaeConfig(dIn, dSae, newDtype, architecture, hookName, hookLayer, modelName, contextSize,
				applyBDecToInput, normalizeActivations, k, prependBos, activationScalingFactor, modelProcessing);
	}

	/** @return a copy with the training context length and BOS setting */
	public SaeConfig withContext(int contextSize, boolean prependBos) {
		return new SaeConfig(dIn, dSae, dtype, architecture, hookName, hookLayer, modelName, contextSize,
				applyBDecToInput, normalizeActivations, k, prependBos, activationScalingFactor, modelProcessing);
	}

	/** @return a copy that does or does not subtract b_dec from the input */
	/** @return this config with the model processing the SAE's activations were taken under */
	public SaeConfig withModelProcessing(TransformerLensProcessing processing) {
		return new SaeConfig(dIn, dSae, dtype, architecture, hookName, hookLayer, modelName, contextSize,
				applyBDecToInput, normalizeActivations, k, prependBos, activationScalingFactor, processing);
	}

	public SaeConfig withApplyBDecToInput(boolean apply) {
		return new SaeConfig(dIn, dSae, dtype, architecture, hookName, hookLayer, modelName, contextSize, apply,
				normalizeActivations, k, prependBos, activationScalingFactor, modelProcessing);
	}
}
