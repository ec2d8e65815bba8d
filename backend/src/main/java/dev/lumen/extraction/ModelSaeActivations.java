package dev.lumen.extraction;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.lumen.engine.model.ForwardResult;
import dev.lumen.engine.model.HookNames;
import dev.lumen.engine.model.LanguageModel;
import dev.lumen.engine.sae.Sae;
import dev.lumen.engine.sae.SparseFeatures;
import dev.lumen.stats.WindowActivations;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Runs the model only as far as the SAE's hook needs, then encodes with the SAE and keeps the non-zero
 * activations ({@link SparseFeatures}): nothing of size d_sae per token reaches the Java heap. Every array of a
 * batch lives in one sub-manager closed at the end of the batch.
 */
final class ModelSaeActivations implements ActivationSource {

	private final LanguageModel model;

	private final Sae sae;

	private final String hook;

	/** The hook actually recorded: for blocks.L.hook_resid_pre (L ≥ 1) the identical blocks.(L-1).hook_resid_post. */
	private final String recorded;

	private final int stopAtLayer;

	private final int contextSize;

	private final NDManager manager;

	ModelSaeActivations(LanguageModel model, Sae sae, int contextSize, NDManager manager) {
		this.model = model;
		this.sae = sae;
		this.hook = validateHook(sae, model);
		this.recorded = recordedHook(this.hook);
		this.stopAtLayer = stopLayer(this.hook, model.config().nLayers());
		this.contextSize = contextSize;
		this.manager = manager;
		if (contextSize > model.config().maxSeqLen()) {
			throw new IllegalArgumentException("context size " + contextSize + " exceeds the model's context of "
					+ model.config().maxSeqLen() + " tokens");
		}
		checkWidth();
	}

	/** The SAE's hook must be one of the model's, named in the error with the valid ones. */
	private static String validateHook(Sae sae, LanguageModel model) {
		try {
			return HookNames.validate(sae.config().hookName(), model);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("the SAE is for hook '" + sae.config().hookName() + "', which model "
					+ model.source() + " does not have: " + ex.getMessage(), ex);
		}
	}

	/** A two-token forward tells the hook's width, so a mismatched SAE fails before anything is stored. */
	private void checkWidth() {
		int bos = Math.max(0, this.model.tokenizer().bosId());
		try (NDManager scope = this.manager.newSubManager()) {
			ForwardResult r = this.model.run(new int[][] { { bos, bos } }, null, inputHooks(), this.recorded::equals,
					this.stopAtLayer, scope);
			long width = r.cache().get(this.recorded).getShape().get(2);
			if (width != this.sae.config().dIn()) {
				throw new IllegalArgumentException("the SAE's d_in is " + this.sae.config().dIn() + " but hook " + this.hook
						+ " of model " + this.model.source() + " has width " + width);
			}
		}
	}

	/** The model processing the SAE was trained under (TransformerLens' centring, folded value biases), as hooks. */
	private List<dev.lumen.engine.model.HookSpec> inputHooks() {
		return this.sae.config().modelProcessing().hooks(this.model);
	}

	/** blocks.L.hook_resid_pre is the residual stream before block L = the output of block L-1. */
	static String recordedHook(String hook) {
		if (hook.startsWith("blocks.") && hook.equals(HookNames.residPre(HookNames.layerOf(hook)))
				&& HookNames.layerOf(hook) > 0) {
			return HookNames.residPost(HookNames.layerOf(hook) - 1);
		}
		return hook;
	}

	/**
	 * The last block whose output the hook needs: L-1 for blocks.L.hook_resid_pre (L ≥ 1), L for the other hooks
	 * of block L (and for blocks.0.hook_resid_pre, which the engine records inside block 0); -1 (run everything) for
	 * hooks after the last block.
	 */
	static int stopLayer(String hook, int nLayers) {
		if (!hook.startsWith("blocks.")) {
			return -1;
		}
		int layer = HookNames.layerOf(hook);
		if (layer > 0 && hook.equals(HookNames.residPre(layer))) {
			return Math.min(layer - 1, nLayers - 1);
		}
		return Math.min(layer, nLayers - 1);
	}

	@Override
	public int dSae() {
		return this.sae.config().dSae();
	}

	@Override
	public List<WindowActivations> activations(List<CorpusWindows.Window> windows) {
		int b = windows.size();
		int[][] tokens = new int[b][this.contextSize];
		int[][] mask = new int[b][this.contextSize];
		for (int i = 0; i < b; i++) {
			CorpusWindows.Window w = windows.get(i);
			System.arraycopy(w.tokens(), 0, tokens[i], 0, w.tokens().length);
			Arrays.fill(mask[i], 0, w.tokens().length, 1);
		}
		SparseFeatures sparse;
		try (NDManager scope = this.manager.newSubManager()) {
			ForwardResult result = this.model.run(tokens, mask, inputHooks(), this.recorded::equals, this.stopAtLayer,
					scope);
			NDArray x = result.cache().get(this.recorded); // [batch, pos, dIn], width checked at construction
			sparse = SparseFeatures.encode(this.sae, x.toType(DataType.FLOAT32, false)); // rows = batch × pos
		}
		List<WindowActivations> out = new ArrayList<>(b);
		for (int i = 0; i < b; i++) {
			out.add(window(sparse, windows.get(i), i * this.contextSize));
		}
		return out;
	}

	/** One window's rows of the batch, its real tokens only (padding rows are dropped). */
	private static WindowActivations window(SparseFeatures s, CorpusWindows.Window w, int firstRow) {
		int length = w.tokens().length;
		int from = s.offsets()[firstRow];
		int to = s.offsets()[firstRow + length];
		int[] offsets = new int[length + 1];
		for (int t = 0; t <= length; t++) {
			offsets[t] = s.offsets()[firstRow + t] - from;
		}
		return new WindowActivations(w.id(), length, offsets, Arrays.copyOfRange(s.features(), from, to),
				Arrays.copyOfRange(s.values(), from, to));
	}
}
