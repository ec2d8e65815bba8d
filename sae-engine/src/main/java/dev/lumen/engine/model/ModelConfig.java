package dev.lumen.engine.model;

/**
 * Sizes and hyper-parameters of a loaded language model, validated on construction.
 * @param architecture the transformer family
 * @param dModel residual stream width
 * @param nLayers number of transformer blocks
 * @param nHeads query heads per block
 * @param nKvHeads key/value heads per block (less than nHeads for grouped-query attention)
 * @param dHead width of one attention head
 * @param dMlp hidden width of the MLP
 * @param vocabSize rows of the embedding (and columns of the logits)
 * @param maxSeqLen longest sequence the positional scheme supports
 * @param bosId beginning-of-sequence token id, -1 when the model has none
 * @param eosId end-of-sequence token id, -1 when the model has none
 * @param normEps epsilon of every normalisation layer
 * @param ropeTheta rotary base (unused for learned positions)
 * @param rotaryDim leading dims of each head that rotate (dHead for Llama, dHead * rotary_pct for NeoX, 0 for GPT-2)
 * @param ropeScaling rotary frequency scaling (linear, dynamic, llama3, yarn), or null
 * @param attnScale multiplier of the attention scores (1/sqrt(dHead), or query_pre_attn_scalar^-0.5 for Gemma 2)
 * @param attnSoftcap attention logit soft-cap (Gemma 2), 0 for none
 * @param finalSoftcap final logit soft-cap (Gemma 2), 0 for none
 * @param slidingWindow sliding-window size of the even layers (Gemma 2), 0 for none
 * @param parallelResidual attention and MLP both read the block input (GPT-NeoX {@code use_parallel_residual})
 * @param tiedEmbeddings the unembedding is the token embedding ({@code tie_word_embeddings})
 * @param attentionBias q, k, v and output projections have biases ({@code attention_bias}; always for GPT-2)
 * @param mlpBias the MLP projections have biases ({@code mlp_bias}; always for GPT-2 and GPT-NeoX)
 */
public record ModelConfig(Architecture architecture, int dModel, int nLayers, int nHeads, int nKvHeads, int dHead,
		int dMlp, int vocabSize, int maxSeqLen, int bosId, int eosId, float normEps, float ropeTheta, int rotaryDim,
		RopeScaling ropeScaling, float attnScale, float attnSoftcap, float finalSoftcap, int slidingWindow,
		boolean parallelResidual, boolean tiedEmbeddings, boolean attentionBias, boolean mlpBias) {

	public ModelConfig {
		if (architecture == null) {
			throw new IllegalArgumentException("architecture is required");
		}
		requirePositive("dModel", dModel);
		requirePositive("nLayers", nLayers);
		requirePositive("nHeads", nHeads);
		requirePositive("nKvHeads", nKvHeads);
		requirePositive("dHead", dHead);
		requirePositive("dMlp", dMlp);
		requirePositive("vocabSize", vocabSize);
		requirePositive("maxSeqLen", maxSeqLen);
		if (nHeads % nKvHeads != 0) {
			throw new IllegalArgumentException("nHeads (" + nHeads + ") must be a multiple of nKvHeads (" + nKvHeads + ")");
		}
		if (rotaryDim < 0 || rotaryDim > dHead || rotaryDim % 2 != 0) {
			throw new IllegalArgumentException("rotaryDim must be even and in [0, dHead=" + dHead + "], got " + rotaryDim);
		}
		if (!architecture.learnedPositions() && rotaryDim == 0) {
			throw new IllegalArgumentException(architecture + " needs rotary dims > 0");
		}
		if (parallelResidual && architecture != Architecture.GPT_NEOX) {
			throw new IllegalArgumentException("parallel residual blocks exist only for GPT-NeoX, not " + architecture);
		}
		if (bosId >= vocabSize || eosId >= vocabSize) {
			throw new IllegalArgumentException("bos/eos ids (" + bosId + ", " + eosId + ") must be below vocabSize " + vocabSize);
		}
	}

	private static void requirePositive(String name, int value) {
		if (value <= 0) {
			throw new IllegalArgumentException(name + " must be positive, got " + value);
		}
	}

	/** @return query heads that share one key/value head */
	public int groupSize() {
		return this.nHeads / this.nKvHeads;
	}

	/** @return true when layer {@code layer} attends only within {@link #slidingWindow()} (Gemma 2 even layers) */
	public boolean isSlidingLayer(int layer) {
		return this.slidingWindow > 0 && layer % 2 == 0;
	}

	/** Creates a Llama-family config with the defaults of llama2.c (eps 1e-5, theta 10000, bos 1, eos 2). */
	public static ModelConfig llama(int dModel, int nLayers, int nHeads, int nKvHeads, int dMlp, int vocabSize,
			int maxSeqLen) {
		int dHead = dModel / nHeads;
		return new ModelConfig(Architecture.LLAMA, dModel, nLayers, nHeads, nKvHeads, dHead, dMlp, vocabSize, maxSeqLen,
				1, 2, 1e-5f, 10000f, dHead, null, (float) (1 / Math.sqrt(dHead)), 0, 0, 0, false, false, false, false);
	}

	/** @return a copy whose unembedding is (or is not) the token embedding */
	public ModelConfig withTiedEmbeddings(boolean tied) {
		return new ModelConfig(architecture, dModel, nLayers, nHeads, nKvHeads, dHead, dMlp, vocabSize, maxSeqLen, bosId,
				eosId, normEps, ropeTheta, rotaryDim, ropeScaling, attnScale, attnSoftcap, finalSoftcap, slidingWindow,
				parallelResidual, tied, attentionBias, mlpBias);
	}
}
