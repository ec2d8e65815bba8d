package dev.lumen.engine.model;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The only place hook-point names are built. Names follow TransformerLens module paths, so activations
 * and SAEs trained against TransformerLens name their hook points the same way.
 */
public final class HookNames {

	private static final Pattern BLOCK = Pattern.compile("^blocks\\.(\\d+)\\.");

	private static final String LN_FINAL = "ln_final.hook_normalized";

	private static final String LN_FINAL_SCALE = "ln_final.hook_scale";

	/** The hook kinds the plain-Java decoder ({@link JvmDecoder}) offers; a hook elsewhere runs through DJL. */
	private static final Set<String> JAVA_DECODER_KINDS = Set.of("hook_resid_pre", "attn.hook_z", "hook_attn_out",
			"hook_resid_mid", "mlp.hook_post", "hook_mlp_out", "hook_resid_post", "ln1.hook_normalized",
			"ln2.hook_normalized");

	private HookNames() {
	}

	/** @return {@code blocks.L.hook_resid_pre}, shape [batch, pos, dModel]: the block input */
	public static String residPre(int layer) {
		return block(layer) + "hook_resid_pre";
	}

	/** @return {@code blocks.L.hook_resid_mid}, shape [batch, pos, dModel]: after attention (absent for parallel blocks) */
	public static String residMid(int layer) {
		return block(layer) + "hook_resid_mid";
	}

	/** @return {@code blocks.L.hook_resid_post}, shape [batch, pos, dModel]: the block output */
	public static String residPost(int layer) {
		return block(layer) + "hook_resid_post";
	}

	/** @return {@code blocks.L.hook_attn_out}, shape [batch, pos, dModel]: what attention adds to the residual */
	public static String attnOut(int layer) {
		return block(layer) + "hook_attn_out";
	}

	/** @return {@code blocks.L.hook_mlp_out}, shape [batch, pos, dModel]: what the MLP adds to the residual */
	public static String mlpOut(int layer) {
		return block(layer) + "hook_mlp_out";
	}

	/** @return {@code blocks.L.attn.hook_z}, shape [batch, pos, nHeads, dHead]: per-head attention output before W_O */
	public static String attnZ(int layer) {
		return block(layer) + "attn.hook_z";
	}

	/** @return {@code blocks.L.mlp.hook_post}, shape [batch, pos, dMlp]: MLP hidden activation before W_out */
	public static String mlpPost(int layer) {
		return block(layer) + "mlp.hook_post";
	}

	/**
	 * @return {@code blocks.L.ln1.hook_normalized}, shape [batch, pos, dModel]: the attention input norm before its gain
	 * and bias (TransformerLens after {@code fold_ln})
	 */
	public static String ln1Normalized(int layer) {
		return block(layer) + "ln1.hook_normalized";
	}

	/**
	 * @return {@code blocks.L.ln2.hook_normalized}, shape [batch, pos, dModel]: the MLP input norm before its gain and
	 * bias (Gemma 2: pre_feedforward_layernorm)
	 */
	public static String ln2Normalized(int layer) {
		return block(layer) + "ln2.hook_normalized";
	}

	/**
	 * @return {@code blocks.L.ln1.hook_scale}, shape [batch, pos, 1]: the attention input norm's divisor,
	 * {@code √(mean(x²) + eps)} of the (LayerNorm: centred) block input
	 */
	public static String ln1Scale(int layer) {
		return block(layer) + "ln1.hook_scale";
	}

	/** @return {@code blocks.L.ln2.hook_scale}, shape [batch, pos, 1]: the MLP input norm's divisor */
	public static String ln2Scale(int layer) {
		return block(layer) + "ln2.hook_scale";
	}

	/** @return {@code ln_final.hook_scale}, shape [batch, pos, 1]: the final norm's divisor */
	public static String lnFinalScale() {
		return LN_FINAL_SCALE;
	}

	/** @return {@code blocks.L.attn.hook_q}, shape [batch, pos, nHeads, dHead]: queries with bias, before rotary */
	public static String attnQ(int layer) {
		return block(layer) + "attn.hook_q";
	}

	/** @return {@code blocks.L.attn.hook_k}, shape [batch, pos, nKvHeads, dHead]: keys with bias, before rotary */
	public static String attnK(int layer) {
		return block(layer) + "attn.hook_k";
	}

	/** @return {@code blocks.L.attn.hook_v}, shape [batch, pos, nKvHeads, dHead]: values with bias */
	public static String attnV(int layer) {
		return block(layer) + "attn.hook_v";
	}

	/**
	 * @return {@code blocks.L.attn.hook_attn_scores}, shape [batch, nHeads, queryPos, keyPos]: scaled (and soft-capped)
	 * scores, −∞ where the causal mask, the sliding window or padding hides a key
	 */
	public static String attnScores(int layer) {
		return block(layer) + "attn.hook_attn_scores";
	}

	/** @return {@code blocks.L.attn.hook_pattern}, shape [batch, nHeads, queryPos, keyPos]: softmax of the scores */
	public static String attnPattern(int layer) {
		return block(layer) + "attn.hook_pattern";
	}

	/**
	 * @return {@code blocks.L.mlp.hook_pre}, shape [batch, pos, dMlp]: the MLP pre-activation (gated MLPs: the gate's,
	 * {@code x·W_gate (+ b_gate)})
	 */
	public static String mlpPre(int layer) {
		return block(layer) + "mlp.hook_pre";
	}

	/** @return {@code blocks.L.mlp.hook_pre_linear}, shape [batch, pos, dMlp]: gated MLPs only, the up projection */
	public static String mlpPreLinear(int layer) {
		return block(layer) + "mlp.hook_pre_linear";
	}

	/**
	 * @return whether the plain-Java decoder offers this hook point; callers route hooks elsewhere through DJL
	 */
	public static boolean offeredByJavaDecoder(String name) {
		if (name.equals(LN_FINAL)) {
			return true;
		}
		Matcher m = BLOCK.matcher(name);
		return m.find() && JAVA_DECODER_KINDS.contains(name.substring(m.end()));
	}

	/** @return {@code ln_final.hook_normalized}, shape [batch, pos, dModel]: the normalised stream before unembedding */
	public static String lnFinal() {
		return LN_FINAL;
	}

	private static String block(int layer) {
		if (layer < 0) {
			throw new IllegalArgumentException("layer must be >= 0, got " + layer);
		}
		return "blocks." + layer + ".";
	}

	/**
	 * Lists every hook point of a model, in the order the forward pass reaches them.
	 * @param config the model's config
	 * @return an ordered, unmodifiable set of names
	 */
	public static Set<String> all(ModelConfig config) {
		Set<String> names = new LinkedHashSet<>();
		for (int l = 0; l < config.nLayers(); l++) {
			names.add(residPre(l));
			names.add(ln1Scale(l));
			names.add(ln1Normalized(l));
			names.add(attnQ(l));
			names.add(attnK(l));
			names.add(attnV(l));
			names.add(attnScores(l));
			names.add(attnPattern(l));
			names.add(attnZ(l));
			names.add(attnOut(l));
			if (!config.parallelResidual()) {
				names.add(residMid(l));
			}
			names.add(ln2Scale(l));
			names.add(ln2Normalized(l));
			names.add(mlpPre(l));
			if (config.architecture().gatedMlp()) {
				names.add(mlpPreLinear(l));
			}
			names.add(mlpPost(l));
			names.add(mlpOut(l));
			names.add(residPost(l));
		}
		names.add(lnFinalScale());
		names.add(lnFinal());
		return Collections.unmodifiableSet(names);
	}

	/**
	 * Checks a name against a model's hook points.
	 * @param name the hook name
	 * @param model the loaded model
	 * @return {@code name}
	 * @throws IllegalArgumentException naming the valid hooks when {@code name} is not one of them
	 */
	public static String validate(String name, LanguageModel model) {
		return validate(name, model.hookNames());
	}

	/** Same as {@link #validate(String, LanguageModel)} against an explicit set of names. */
	public static String validate(String name, Set<String> valid) {
		if (!valid.contains(name)) {
			throw new IllegalArgumentException("Unknown hook '" + name + "'; valid: " + String.join(", ", valid));
		}
		return name;
	}

	/**
	 * Parses the block index out of a hook name.
	 * @param name a hook name
	 * @return the layer of a {@code blocks.L.*} name, or -1 for {@code ln_final.hook_normalized} and
	 * {@code ln_final.hook_scale}
	 * @throws IllegalArgumentException for a name that is neither
	 */
	public static int layerOf(String name) {
		Matcher m = BLOCK.matcher(name);
		if (m.find()) {
			return Integer.parseInt(m.group(1));
		}
		if (name.equals(LN_FINAL) || name.equals(LN_FINAL_SCALE)) {
			return -1;
		}
		throw new IllegalArgumentException("'" + name + "' is not a hook name (expected blocks.L.<hook> or " + LN_FINAL + ")");
	}
}
