package dev.lumen.engine.model;

import ai.djl.ndarray.NDArray;
import dev.lumen.engine.kernel.CpuKernels;
import dev.lumen.engine.kernel.PanelMatrix;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

/**
 * The plain-Java decoder's copy of a model's canonical weights ({@link ModelWeights}): vectors as float arrays,
 * matrices packed into {@link PanelMatrix} panels for {@link CpuKernels#matVec}. Every architecture maps onto the
 * same fields; parts an architecture lacks are null (biases for Llama and Gemma, post-norms outside Gemma 2,
 * position embeddings outside GPT-2). Gemma's (1 + w) norm gains are already folded when the model loads.
 */
final class JvmWeights {

	/**
	 * One block.
	 * @param ln1W attention norm gain [dModel]
	 * @param ln1B attention norm bias [dModel] (LayerNorm) or null
	 * @param wQkv [dModel, (nHeads + 2 nKv) * dHead], the query part pre-scaled by the attention score scale
	 * @param bQkv [(nHeads + 2 nKv) * dHead] or null
	 * @param wO [nHeads * dHead, dModel]
	 * @param bO [dModel] or null
	 * @param ln1PostW Gemma 2 post-attention norm gain [dModel] or null
	 * @param ln2W MLP norm gain [dModel]
	 * @param ln2B MLP norm bias [dModel] or null
	 * @param wIn [dModel, 2 * dMlp] (gate | up) for gated MLPs, else [dModel, dMlp]
	 * @param bIn [2 * dMlp] or [dMlp], or null
	 * @param wOut [dMlp, dModel]
	 * @param bOut [dModel] or null
	 * @param ln2PostW Gemma 2 post-feed-forward norm gain [dModel] or null
	 */
	record Layer(float[] ln1W, float[] ln1B, PanelMatrix wQkv, float[] bQkv, PanelMatrix wO, float[] bO,
			float[] ln1PostW, float[] ln2W, float[] ln2B, PanelMatrix wIn, float[] bIn, PanelMatrix wOut, float[] bOut,
			float[] ln2PostW) {
	}

	final float[] embed; // [vocab * dModel]

	final float[] posEmbed; // [maxSeqLen * dModel], GPT-2's learned positions, else null

	final float embedScale; // sqrt(dModel) for Gemma, else 1

	final Layer[] layers;

	final float[] lnFinalW; // [dModel]

	final float[] lnFinalB; // [dModel] or null

	final PanelMatrix unembed; // [dModel, vocab]

	final float[] bUnembed; // [vocab] or null

	/**
	 * Copies and packs the weights. Layers are packed in parallel: on a cold start this copy is part of the time to
	 * the first token.
	 */
	JvmWeights(ModelConfig c, ModelWeights w, CpuKernels k) {
		this(c, w, k, "bf16".equalsIgnoreCase(System.getProperty("lumen.engine.jvmWeights", "fp32")));
	}

	/**
	 * @param bf16 store the matrices as bfloat16 (half the bytes each token streams; products stay float32): exact
	 * for a bfloat16 checkpoint, rounded for a float32 one. {@code -Dlumen.engine.jvmWeights=bf16} chooses it.
	 */
	JvmWeights(ModelConfig c, ModelWeights w, CpuKernels k, boolean bf16) {
		this.embed = floats(w.embed);
		this.posEmbed = floats(w.posEmbed);
		this.embedScale = c.architecture().scaledEmbedding() ? (float) Math.sqrt(c.dModel()) : 1f;
		// the unembedding is the largest matrix: pack it beside the layers
		CompletableFuture<PanelMatrix> unembed = CompletableFuture
			.supplyAsync(() -> pack(k, bf16, floats(w.unembed), c.dModel(), c.vocabSize()));
		this.layers = IntStream.range(0, c.nLayers())
			.parallel()
			.mapToObj(l -> layer(c, w.layers[l], k, bf16))
			.toArray(Layer[]::new);
		this.lnFinalW = floats(w.lnFinalW);
		this.lnFinalB = floats(w.lnFinalB);
		this.unembed = unembed.join();
		this.bUnembed = floats(w.bUnembed);
	}

	private static Layer layer(ModelConfig c, LayerWeights lw, CpuKernels k, boolean bf16) {
		int dim = c.dModel();
		int qDim = c.nHeads() * c.dHead();
		int qkvDim = (c.nHeads() + 2 * c.nKvHeads()) * c.dHead();
		int inDim = c.architecture().gatedMlp() ? 2 * c.dMlp() : c.dMlp();
		NDArray wIn = c.architecture().gatedMlp() ? lw.wGateUp : lw.wIn;
		NDArray bIn = c.architecture().gatedMlp() ? lw.bGateUp : lw.bIn;
		return new Layer(floats(lw.ln1W), floats(lw.ln1B), pack(k, bf16, floats(lw.wQkv), dim, qkvDim), floats(lw.bQkv),
				pack(k, bf16, floats(lw.wO), qDim, dim), floats(lw.bO), floats(lw.ln1PostW), floats(lw.ln2W),
				floats(lw.ln2B), pack(k, bf16, floats(wIn), dim, inDim), floats(bIn),
				pack(k, bf16, floats(lw.wOut), c.dMlp(), dim), floats(lw.bOut), floats(lw.ln2PostW));
	}

	/** Packs a copy: the model's own weights (and any memory-mapped checkpoint behind them) stay as they are. */
	private static PanelMatrix pack(CpuKernels k, boolean bf16, float[] w, int n, int d) {
		return bf16 ? k.packBf16(w, n, d) : k.pack(w, n, d);
	}

	/** @return a float32 array's values, or null for an absent weight */
	private static float[] floats(NDArray a) {
		return a == null ? null : a.toFloatArray();
	}
}
