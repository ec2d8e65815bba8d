package dev.lumen.extraction;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.lumen.engine.model.ForwardResult;
import dev.lumen.engine.model.HookNames;
import dev.lumen.engine.model.LanguageModel;
import dev.lumen.engine.sae.Sae;
import java.util.List;

/**
 * Runs the model only as far as the SAE's hook (blocks after it are skipped), then encodes with the SAE.
 * Every array of a batch lives in one sub-manager closed at the end of the batch.
 */
final class ModelSaeActivations implements ActivationSource {

	private final LanguageModel model;

	private final Sae sae;

	private final String hook;

	private final int stopAtLayer;

	private final int contextSize;

	private final NDManager manager;

	ModelSaeActivations(LanguageModel model, Sae sae, int contextSize, NDManager manager) {
		this.model = model;
		this.sae = sae;
		this.hook = HookNames.validate(sae.config().hookName(), model);
		this.stopAtLayer = stopLayer(this.hook, model.config().nLayers());
		this.contextSize = contextSize;
		this.manager = manager;
		if (contextSize > model.config().maxSeqLen()) {
			throw new IllegalArgumentException("context size " + contextSize + " exceeds the model's context of "
					+ model.config().maxSeqLen() + " tokens");
		}
		checkWidth();
	}

	/** A two-token forward tells the hook's width, so a mismatched SAE fails before anything is stored. */
	private void checkWidth() {
		int bos = Math.max(0, this.model.tokenizer().bosId());
		try (NDManager scope = this.manager.newSubManager()) {
			ForwardResult r = this.model.run(new int[][] { { bos, bos } }, null, List.of(), this.hook::equals,
					this.stopAtLayer, scope);
			long width = r.cache().get(this.hook).getShape().get(2);
			if (width != this.sae.config().dIn()) {
				throw new IllegalArgumentException("the SAE's d_in is " + this.sae.config().dIn() + " but hook " + this.hook
						+ " of model " + this.model.source() + " has width " + width);
			}
		}
	}

	/** The last block whose output the hook needs; -1 (run everything) for hooks after the last block. */
	static int stopLayer(String hook, int nLayers) {
		if (!hook.startsWith("blocks.")) {
			return -1;
		}
		return Math.min(HookNames.layerOf(hook), nLayers - 1);
	}

	@Override
	public int dSae() {
		return this.sae.config().dSae();
	}

	@Override
	public ActivationBatch activations(List<CorpusWindows.Window> windows) {
		int b = windows.size();
		int[][] tokens = new int[b][this.contextSize];
		int[][] mask = new int[b][this.contextSize];
		int[] ids = new int[b];
		int[] lengths = new int[b];
		for (int i = 0; i < b; i++) {
			CorpusWindows.Window w = windows.get(i);
			ids[i] = w.id();
			lengths[i] = w.tokens().length;
			System.arraycopy(w.tokens(), 0, tokens[i], 0, w.tokens().length);
			java.util.Arrays.fill(mask[i], 0, w.tokens().length, 1);
		}
		try (NDManager scope = this.manager.newSubManager()) {
			ForwardResult result = this.model.run(tokens, mask, List.of(), this.hook::equals, this.stopAtLayer, scope);
			NDArray x = result.cache().get(this.hook); // [batch, pos, dIn], width checked at construction
			NDArray f = this.sae.encode(x.toType(DataType.FLOAT32, false)); // [batch, pos, dSae]
			float[] values = f.toType(DataType.FLOAT32, false).toFloatArray();
			return new ActivationBatch(ids, lengths, this.contextSize, dSae(), values);
		}
	}
}
