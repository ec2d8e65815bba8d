package dev.lumen.spark;

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
 * Forward to the SAE's hook and sparse encode for a batch of windows, exactly as the single-machine extraction
 * does it (same padding to the context size, same mask, same recorded hook and stop layer), so a window's
 * activations do not depend on which machine computed them.
 */
final class ShardEncoder {

	private final LanguageModel model;

	private final Sae sae;

	private final String recorded;

	private final int stopAtLayer;

	private final int contextSize;

	private final NDManager manager;

	ShardEncoder(LanguageModel model, Sae sae, int contextSize, NDManager manager) {
		String hook = HookNames.validate(sae.config().hookName(), model);
		this.model = model;
		this.sae = sae;
		this.recorded = recordedHook(hook);
		this.stopAtLayer = stopLayer(hook, model.config().nLayers());
		this.contextSize = contextSize;
		this.manager = manager;
		if (contextSize > model.config().maxSeqLen()) {
			throw new IllegalArgumentException("context size " + contextSize + " exceeds the model's context of "
					+ model.config().maxSeqLen() + " tokens");
		}
	}

	/** blocks.L.hook_resid_pre (L ≥ 1) is the output of block L-1: record that and stop there. */
	static String recordedHook(String hook) {
		if (hook.startsWith("blocks.") && HookNames.layerOf(hook) > 0
				&& hook.equals(HookNames.residPre(HookNames.layerOf(hook)))) {
			return HookNames.residPost(HookNames.layerOf(hook) - 1);
		}
		return hook;
	}

	/** The last block the hook needs; -1 (run everything) for hooks after the last block. */
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

	LanguageModel model() {
		return this.model;
	}

	int dSae() {
		return this.sae.config().dSae();
	}

	/**
	 * @param tokens the batch's windows, BOS first, at most the context size each
	 * @param firstWindow corpus-wide id of {@code tokens[0]}
	 */
	List<WindowActivations> encode(int[][] tokens, int firstWindow) {
		int b = tokens.length;
		int[][] padded = new int[b][this.contextSize];
		int[][] mask = new int[b][this.contextSize];
		for (int i = 0; i < b; i++) {
			System.arraycopy(tokens[i], 0, padded[i], 0, tokens[i].length);
			Arrays.fill(mask[i], 0, tokens[i].length, 1);
		}
		SparseFeatures sparse;
		try (NDManager scope = this.manager.newSubManager()) {
			ForwardResult result = this.model.run(padded, mask, List.of(), this.recorded::equals, this.stopAtLayer, scope);
			NDArray x = result.cache().get(this.recorded);
			if (x.getShape().get(2) != this.sae.config().dIn()) {
				throw new IllegalArgumentException("the SAE's d_in is " + this.sae.config().dIn() + " but hook "
						+ this.recorded + " of model " + this.model.source() + " has width " + x.getShape().get(2));
			}
			sparse = SparseFeatures.encode(this.sae, x.toType(DataType.FLOAT32, false));
		}
		List<WindowActivations> out = new ArrayList<>(b);
		for (int i = 0; i < b; i++) {
			out.add(window(sparse, firstWindow + i, tokens[i].length, i * this.contextSize));
		}
		return out;
	}

	private static WindowActivations window(SparseFeatures s, int id, int length, int firstRow) {
		int from = s.offsets()[firstRow];
		int to = s.offsets()[firstRow + length];
		int[] offsets = new int[length + 1];
		for (int t = 0; t <= length; t++) {
			offsets[t] = s.offsets()[firstRow + t] - from;
		}
		return new WindowActivations(id, length, offsets, Arrays.copyOfRange(s.features(), from, to),
				Arrays.copyOfRange(s.values(), from, to));
	}
}
