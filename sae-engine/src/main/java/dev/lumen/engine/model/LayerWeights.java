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

	NDArray wQ; // [dModel, nHeads * dHead]

	NDArray bQ; // [nHeads * dHead] or null

	NDArray wK; // [dModel, nKvHeads * dHead]

	NDArray bK; // [nKvHeads * dHead] or null

	NDArray wV; // [dModel, nKvHeads * dHead]

	NDArray bV; // [nKvHeads * dHead] or null

	NDArray wO; // [nHeads * dHead, dModel]

	NDArray bO; // [dModel] or null

	NDArray ln1PostW; // [dModel], Gemma 2 post_attention_layernorm, else null

	NDArray ln2W; // [dModel]

	NDArray ln2B; // [dModel] or null

	NDArray wGate; // [dModel, dMlp], gated MLPs only

	NDArray wIn; // [dModel, dMlp] (up_proj / c_fc / dense_h_to_4h)

	NDArray bIn; // [dMlp] or null

	NDArray wOut; // [dMlp, dModel]

	NDArray bOut; // [dModel] or null

	NDArray ln2PostW; // [dModel], Gemma 2 post_feedforward_layernorm, else null
}
