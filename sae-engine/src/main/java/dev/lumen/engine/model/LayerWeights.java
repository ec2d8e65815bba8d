package dev.lumen.engine.model;

import ai.djl.ndarray.NDArray;

/**
 * One transformer block's weights in the engine's canonical layout: every matrix is [in, out] so that
 * activations multiply on the left ({@code x.matMul(wQ)}). Optional parts are null when the
 * architecture has none (biases for Llama, post-norms outside Gemma 2, the gate outside gated MLPs).
 */
final class LayerWeights {

	NDArray ln1W; // [dModel]

	NDArray ln1B; // [dModel] or null

	NDArray wQ; // [dModel, nHeads * dHead], read at load and fused into wQkv

	NDArray bQ; // [nHeads * dHead] or null

	NDArray wK; // [dModel, nKvHeads * dHead]

	NDArray bK; // [nKvHeads * dHead] or null

	NDArray wV; // [dModel, nKvHeads * dHead]

	NDArray bV; // [nKvHeads * dHead] or null

	NDArray wQkv; // [dModel, (nHeads + 2 * nKvHeads) * dHead]: one matmul per block instead of three

	NDArray bQkv; // [(nHeads + 2 * nKvHeads) * dHead] or null

	NDArray wO; // [nHeads * dHead, dModel]

	NDArray bO; // [dModel] or null

	NDArray ln1PostW; // [dModel], Gemma 2 post_attention_layernorm, else null

	NDArray ln2W; // [dModel]

	NDArray ln2B; // [dModel] or null

	NDArray wGate; // [dModel, dMlp], gated MLPs only

	NDArray bGate; // [dMlp] or null (Llama mlp_bias)

	NDArray wGateUp; // [dModel, 2 * dMlp] = gate | up, gated MLPs only (one matmul instead of two)

	NDArray bGateUp; // [2 * dMlp] = gate | up biases, or null

	NDArray wIn; // [dModel, dMlp] (up_proj / c_fc / dense_h_to_4h)

	NDArray bIn; // [dMlp] or null

	NDArray wOut; // [dMlp, dModel]

	NDArray bOut; // [dModel] or null

	NDArray ln2PostW; // [dModel], Gemma 2 post_feedforward_layernorm, else null

	/**
	 * Fuses q/k/v (and gate/up) into single matrices and frees the parts: at small model sizes every
	 * native call costs more than the arithmetic, so fewer, larger matmuls are faster.
	 * @param attnScale the attention score scale, folded into the query weights
	 */
	void fuse(float attnScale) {
		// q * attnScale before q.k: scaling the weights saves a native call per block (rotation is linear)
		NDArray wQScaled = this.wQ.mul(attnScale);
		NDArray bQScaled = this.bQ == null ? null : this.bQ.mul(attnScale);
		this.wQkv = wQScaled.concat(this.wK, 1).concat(this.wV, 1);
		if (this.bQ != null || this.bK != null || this.bV != null) {
			this.bQkv = orZeros(bQScaled, this.wQ).concat(orZeros(this.bK, this.wK)).concat(orZeros(this.bV, this.wV));
		}
		close(wQScaled, bQScaled);
		close(this.wQ, this.wK, this.wV, this.bQ, this.bK, this.bV);
		this.wQ = this.wK = this.wV = this.bQ = this.bK = this.bV = null;
		if (this.wGate != null) {
			this.wGateUp = this.wGate.concat(this.wIn, 1);
			if (this.bGate != null || this.bIn != null) {
				this.bGateUp = orZeros(this.bGate, this.wGate).concat(orZeros(this.bIn, this.wIn));
			}
			close(this.wGate, this.wIn, this.bGate, this.bIn);
			this.wGate = this.wIn = this.bGate = this.bIn = null;
		}
	}

	private static NDArray orZeros(NDArray bias, NDArray weight) {
		return bias != null ? bias : weight.getManager().zeros(new ai.djl.ndarray.types.Shape(weight.getShape().get(1)),
				weight.getDataType());
	}

	private static void close(NDArray... arrays) {
		for (NDArray a : arrays) {
			if (a != null) {
				a.close();
			}
		}
	}
}
