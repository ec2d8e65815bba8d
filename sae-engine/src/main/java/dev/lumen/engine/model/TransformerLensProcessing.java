package dev.lumen.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * The weight processing of TransformerLens' {@code HookedTransformer.from_pretrained} (keyword arguments of the same
 * names), expressed as hooks on Lumen's unprocessed model so that the hook points then hold exactly what
 * TransformerLens' processed model gives. SAEs trained on TransformerLens activations (most SAELens releases) saw
 * those values; {@code from_pretrained_no_processing} is {@link #NONE}, which is also what Lumen computes without hooks.
 *
 * <ul>
 * <li>{@code center_writing_weights} (LayerNorm models only, as in TransformerLens: GPT-2, GPT-NeoX): every write to
 * the residual stream (embeddings, {@code hook_attn_out}, {@code hook_mlp_out}) loses its mean over dModel, so the
 * whole stream is centred. Since every reader of the stream is a LayerNorm, which centres anyway, the logits are
 * unchanged; the residual hooks are not.</li>
 * <li>{@code fold_value_biases}: v's constant part leaves {@code hook_v} (and so {@code hook_z}, as attention rows
 * sum to 1) and reaches {@code hook_attn_out} through b_O + Σ_h c_h·W_O,h instead. The constant is b_V, plus, with
 * {@code fold_ln} on a LayerNorm model, the attention norm's bias through W_V (fold_ln first moves it into b_V).</li>
 * <li>{@code fold_ln} alone changes no hook value Lumen offers ({@code hook_normalized} is before the gain and bias
 * either way in TransformerLens; the folded biases leave q, k and v as they are), and {@code center_unembed} only
 * shifts each position's logits by a constant; both are accepted.</li>
 * </ul>
 *
 * @param foldLn {@code fold_ln}
 * @param centerWritingWeights {@code center_writing_weights}
 * @param centerUnembed {@code center_unembed}
 * @param foldValueBiases {@code fold_value_biases}
 */
public record TransformerLensProcessing(boolean foldLn, boolean centerWritingWeights, boolean centerUnembed,
		boolean foldValueBiases) {

	/** {@code HookedTransformer.from_pretrained} with its defaults. */
	public static final TransformerLensProcessing DEFAULTS = new TransformerLensProcessing(true, true, true, true);

	/** {@code from_pretrained_no_processing}: the weights as stored, which is what Lumen computes. */
	public static final TransformerLensProcessing NONE = new TransformerLensProcessing(false, false, false, false);

	/** The {@code from_pretrained} keyword arguments this class applies. */
	public static final List<String> KEYS = List.of("fold_ln", "center_writing_weights", "center_unembed",
			"fold_value_biases");

	/**
	 * @param model the model the hooks will run on
	 * @return hooks to put before any others (so that recording and later hooks see TransformerLens' values); empty
	 *     when the processing changes no hook of this model (e.g. Llama without attention biases)
	 */
	public List<HookSpec> hooks(LanguageModel model) {
		ModelConfig c = model.config();
		List<HookSpec> hooks = new ArrayList<>();
		boolean centre = this.centerWritingWeights && c.architecture().norm() == Architecture.NormKind.LAYER;
		if (centre) {
			hooks.add(new HookSpec(HookNames.residPre(0), TransformerLensProcessing::centred));
		}
		LayerWeights[] layers = model.weights().layers;
		for (int l = 0; l < c.nLayers(); l++) {
			LayerWeights w = layers[l];
			boolean foldsLnBias = this.foldLn && w.ln1B != null;
			if (this.foldValueBiases && (w.bQkv != null || foldsLnBias)) {
				hooks.add(new HookSpec(HookNames.attnV(l),
						(v, name) -> v.sub(valueConstant(w, c, foldsLnBias, v.getManager()))));
				hooks.add(new HookSpec(HookNames.attnOut(l),
						(out, name) -> out.add(foldedValueConstant(w, c, foldsLnBias, out.getManager()))));
			}
			if (centre) {
				hooks.add(new HookSpec(HookNames.attnOut(l), TransformerLensProcessing::centred));
				hooks.add(new HookSpec(HookNames.mlpOut(l), TransformerLensProcessing::centred));
			}
		}
		return hooks;
	}

	/** @return the hooks of {@link #hooks(LanguageModel)} followed by {@code others} */
	public List<HookSpec> before(LanguageModel model, List<HookSpec> others) {
		List<HookSpec> all = new ArrayList<>(hooks(model));
		all.addAll(others);
		return all;
	}

	/**
	 * The constant part of v that fold_value_biases moves out: b_V, plus (after fold_ln) the attention LayerNorm's bias
	 * through W_V, which fold_ln had folded into b_V.
	 * @return [nKv, dHead] (it broadcasts over hook_v's [batch, pos, nKv, dHead]), in {@code scope}
	 */
	private static NDArray valueConstant(LayerWeights w, ModelConfig c, boolean foldsLnBias, NDManager scope) {
		long vStart = (long) (c.nHeads() + c.nKvHeads()) * c.dHead();
		NDIndex vColumns = new NDIndex(vStart + ":");
		NDArray constant = w.bQkv != null ? w.bQkv.get(scope, vColumns)
				: scope.zeros(new Shape((long) c.nKvHeads() * c.dHead()), w.wQkv.getDataType());
		if (foldsLnBias) {
			NDArray wV = w.wQkv.get(scope, new NDIndex(":, " + vStart + ":")); // [dModel, nKv·dHead]
			constant = constant.add(w.ln1B.reshape(1, c.dModel()).matMul(wV).reshape(-1));
		}
		return constant.reshape(c.nKvHeads(), c.dHead());
	}

	/** @return the value constant through W_O, Σ_h const_h·W_O,h [dModel] (query head h reads kv head h / groupSize) */
	private static NDArray foldedValueConstant(LayerWeights w, ModelConfig c, boolean foldsLnBias, NDManager scope) {
		NDArray perHead = valueConstant(w, c, foldsLnBias, scope).repeat(0, c.groupSize())
			.reshape(1, (long) c.nHeads() * c.dHead());
		return perHead.matMul(w.wO).reshape(c.dModel());
	}

	/**
	 * The processing hooks for several SAEs used together (steering with SAEs of one model).
	 * @throws IllegalArgumentException when they need different processing of the same model: each would see the
	 *     other's activations
	 */
	public static List<HookSpec> hooksFor(LanguageModel model, java.util.Collection<TransformerLensProcessing> each) {
		List<TransformerLensProcessing> effective = each.stream().distinct().filter(p -> !p.hooks(model).isEmpty())
			.toList();
		if (effective.size() > 1) {
			throw new IllegalArgumentException("these SAEs were trained on differently processed activations of the model "
					+ "(TransformerLens model_from_pretrained_kwargs " + effective.stream().map(p -> p.asKwargs().toString())
						.toList() + "), so no single forward pass feeds each what it was trained on; use them one at a time");
		}
		return effective.isEmpty() ? List.of() : effective.get(0).hooks(model);
	}

	private static NDArray centred(NDArray x, String hookName) {
		return x.sub(x.mean(new int[] { -1 }, true));
	}

	/** @return the keyword arguments as TransformerLens spells them, for cfg.json */
	public java.util.Map<String, Boolean> asKwargs() {
		java.util.Map<String, Boolean> m = new java.util.LinkedHashMap<>();
		m.put("fold_ln", this.foldLn);
		m.put("center_writing_weights", this.centerWritingWeights);
		m.put("center_unembed", this.centerUnembed);
		m.put("fold_value_biases", this.foldValueBiases);
		return m;
	}
}
