package dev.lumen.engine.model;

import ai.djl.ndarray.NDArray;

/** All weights of a model in canonical layout (see {@link LayerWeights}), owned by the model's manager. */
final class ModelWeights {

	NDArray embed; // [vocab, dModel]

	NDArray posEmbed; // [maxSeqLen, dModel], learned positions only

	LayerWeights[] layers;

	NDArray lnFinalW; // [dModel]

	NDArray lnFinalB; // [dModel] or null

	NDArray unembed; // [dModel, vocab]

	NDArray bUnembed; // [vocab] or null
}
