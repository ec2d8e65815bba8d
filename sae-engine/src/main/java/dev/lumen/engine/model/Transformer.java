package dev.lumen.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;

/**
 * The forward pass over canonical weights: embed, blocks, final norm, unembed. Stateless apart from the
 * weights, so concurrent calls are safe; everything a call creates lives in the call's scope.
 */
final class Transformer {

	private final ModelConfig config;

	private final ModelWeights weights;

	private final Rotary rotary; // null for learned positions

	private final DataType dtype;

	Transformer(ModelConfig config, ModelWeights weights, DataType dtype, NDManager manager) {
		this.config = config;
		this.weights = weights;
		this.rotary = config.architecture().learnedPositions() ? null : new Rotary(config, manager, dtype);
		this.dtype = dtype;
	}

	DataType dtype() {
		return this.dtype;
	}

	ModelWeights weights() {
		return this.weights;
	}

	Rotary rotary() {
		return this.rotary;
	}

	/**
	 * Runs the model.
	 * @param scope manager for every temporary, and for the returned logits
	 * @param tokens [batch][pos] token ids
	 * @param tokenMask [batch][pos], 1 for real tokens and 0 for padding
	 * @param cache KV cache to extend, or null
	 * @param hooks this call's hooks and recording
	 * @param stopAtLayer last block to run, or -1 to run all and unembed
	 * @param lastPositionOnly unembed only the last position (generation)
	 * @return logits [batch, pos or 1, vocab] in {@code scope}, or null when stopped early
	 */
	NDArray forward(NDManager scope, int[][] tokens, int[][] tokenMask, KvCache cache, HookRunner hooks,
			int stopAtLayer, boolean lastPositionOnly) {
		ModelConfig c = this.config;
		RunState s = new RunState(c, scope, tokenMask, cache, hooks, this.rotary, this.dtype);
		NDArray x = embed(scope, tokens, s);
		int last = stopAtLayer < 0 ? c.nLayers() - 1 : stopAtLayer;
		for (int l = 0; l <= last; l++) {
			x = TransformerBlock.forward(x, this.weights.layers[l], l, c, this.rotary, s);
		}
		if (stopAtLayer >= 0) {
			return null;
		}
		// ln_final.hook_normalized as TransformerLens: normalised, before the gain and bias (folded away in TL)
		x = TransformerBlock.norm(x, this.weights.lnFinalW, this.weights.lnFinalB, HookNames.lnFinalScale(),
				HookNames.lnFinal(), c, s);
		if (lastPositionOnly) {
			x = x.get(new NDIndex(":, -1:, :"));
		}
		NDArray logits = Attention.linear(x, this.weights.unembed, this.weights.bUnembed);
		if (c.finalSoftcap() > 0) {
			logits = logits.div(c.finalSoftcap()).tanh().mul(c.finalSoftcap());
		}
		return logits;
	}

	/**
	 * The logits a residual-stream direction writes: through the final norm's gain (centred first for LayerNorm)
	 * and the unembedding. The norm's per-token scale is left out (it is positive, so it changes no ranking), as
	 * are the unembedding bias and soft-capping.
	 * @param directions [n, dModel] float32
	 * @return [n, vocab] float32, attached to {@code directions}' manager
	 */
	NDArray directionLogits(NDArray directions) {
		NDArray d = directions;
		if (this.config.architecture().norm() == Architecture.NormKind.LAYER) {
			d = d.sub(d.mean(new int[] { -1 }, true));
		}
		d = d.toType(this.weights.unembed.getDataType(), false).mul(this.weights.lnFinalW);
		return d.matMul(this.weights.unembed).toType(DataType.FLOAT32, false);
	}

	/** @return [batch, pos, dModel] token (plus learned position) embeddings */
	private NDArray embed(NDManager scope, int[][] tokens, RunState s) {
		int batch = tokens.length;
		int pos = tokens[0].length;
		long[] flat = new long[batch * pos];
		for (int b = 0; b < batch; b++) {
			for (int p = 0; p < pos; p++) {
				int id = tokens[b][p];
				if (id < 0 || id >= this.config.vocabSize()) {
					throw new IllegalArgumentException("token id " + id + " at [" + b + ", " + p + "] is outside the vocabulary [0, "
							+ this.config.vocabSize() + ")");
				}
				flat[b * pos + p] = id;
			}
		}
		NDArray x = this.weights.embed.get(scope, new NDIndex("{}", scope.create(flat))).reshape(batch, pos, -1);
		if (this.config.architecture().scaledEmbedding()) {
			x = x.mul((float) Math.sqrt(this.config.dModel()));
		}
		if (this.weights.posEmbed != null) {
			long[] posFlat = new long[batch * pos];
			for (int b = 0; b < batch; b++) {
				for (int p = 0; p < pos; p++) {
					int position = s.positions[b][p];
					if (position >= this.config.maxSeqLen()) {
						throw new IllegalArgumentException("position " + position + " exceeds the model's context of "
								+ this.config.maxSeqLen() + " tokens");
					}
					posFlat[b * pos + p] = position;
				}
			}
			x = x.add(this.weights.posEmbed.get(scope, new NDIndex("{}", scope.create(posFlat))).reshape(batch, pos, -1));
		}
		return x;
	}
}
