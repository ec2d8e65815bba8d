package dev.lumen.engine.model;

/**
 * Maps Hugging Face tensor names of each supported architecture onto {@link ModelWeights}. Shapes are
 * checked as each tensor is read, so a wrong checkpoint fails naming the tensor.
 */
final class HfWeights {

	private HfWeights() {
	}

	static ModelWeights load(ModelConfig c, WeightFactory f) {
		ModelWeights m = switch (c.architecture()) {
			case LLAMA, GEMMA2 -> llamaLike(c, f);
			case GPT2 -> gpt2(c, f);
			case GPT_NEOX -> neox(c, f);
		};
		for (LayerWeights layer : m.layers) {
			layer.fuse(c.attnScale());
		}
		return m;
	}

	/** Llama and Gemma 2 share names; Gemma adds pre/post feed-forward norms and stores norms as (w - 1). */
	private static ModelWeights llamaLike(ModelConfig c, WeightFactory f) {
		boolean gemma = c.architecture() == Architecture.GEMMA2;
		int d = c.dModel();
		int qDim = c.nHeads() * c.dHead();
		int kvDim = c.nKvHeads() * c.dHead();
		ModelWeights m = new ModelWeights();
		m.embed = f.matrix("model.embed_tokens.weight", c.vocabSize(), d);
		m.layers = new LayerWeights[c.nLayers()];
		for (int l = 0; l < c.nLayers(); l++) {
			String p = "model.layers." + l + ".";
			LayerWeights w = new LayerWeights();
			w.ln1W = norm(f, p + "input_layernorm.weight", d, gemma);
			w.wQ = f.linear(p + "self_attn.q_proj.weight", qDim, d);
			w.wK = f.linear(p + "self_attn.k_proj.weight", kvDim, d);
			w.wV = f.linear(p + "self_attn.v_proj.weight", kvDim, d);
			w.wO = f.linear(p + "self_attn.o_proj.weight", d, qDim);
			if (c.attentionBias()) {
				// attention_bias: q, k, v and o_proj all carry one (transformers' LlamaAttention)
				w.bQ = f.vector(p + "self_attn.q_proj.bias", qDim);
				w.bK = f.vector(p + "self_attn.k_proj.bias", kvDim);
				w.bV = f.vector(p + "self_attn.v_proj.bias", kvDim);
				w.bO = f.vector(p + "self_attn.o_proj.bias", d);
			}
			if (gemma) {
				w.ln1PostW = norm(f, p + "post_attention_layernorm.weight", d, true);
				w.ln2W = norm(f, p + "pre_feedforward_layernorm.weight", d, true);
				w.ln2PostW = norm(f, p + "post_feedforward_layernorm.weight", d, true);
			}
			else {
				w.ln2W = norm(f, p + "post_attention_layernorm.weight", d, false);
			}
			w.wGate = f.linear(p + "mlp.gate_proj.weight", c.dMlp(), d);
			w.wIn = f.linear(p + "mlp.up_proj.weight", c.dMlp(), d);
			w.wOut = f.linear(p + "mlp.down_proj.weight", d, c.dMlp());
			if (c.mlpBias()) {
				w.bGate = f.vector(p + "mlp.gate_proj.bias", c.dMlp());
				w.bIn = f.vector(p + "mlp.up_proj.bias", c.dMlp());
				w.bOut = f.vector(p + "mlp.down_proj.bias", d);
			}
			m.layers[l] = w;
		}
		m.lnFinalW = norm(f, "model.norm.weight", d, gemma);
		m.unembed = unembed(c, f, "lm_head.weight", "model.embed_tokens.weight");
		return m;
	}

	private static ModelWeights gpt2(ModelConfig c, WeightFactory f) {
		String root = f.source().contains("transformer.wte.weight") ? "transformer." : "";
		int d = c.dModel();
		ModelWeights m = new ModelWeights();
		m.embed = f.matrix(root + "wte.weight", c.vocabSize(), d);
		m.posEmbed = f.matrix(root + "wpe.weight", c.maxSeqLen(), d);
		m.layers = new LayerWeights[c.nLayers()];
		for (int l = 0; l < c.nLayers(); l++) {
			String p = root + "h." + l + ".";
			LayerWeights w = new LayerWeights();
			w.ln1W = f.vector(p + "ln_1.weight", d);
			w.ln1B = f.vector(p + "ln_1.bias", d);
			// c_attn is Conv1D [in, 3 * dModel]: columns are q | k | v
			float[] qkv = f.source().floats(p + "attn.c_attn.weight", d, 3L * d);
			float[] qkvBias = f.source().floats(p + "attn.c_attn.bias", 3L * d);
			w.wQ = f.create(WeightFactory.columns(qkv, 3 * d, 0, d), d, d);
			w.wK = f.create(WeightFactory.columns(qkv, 3 * d, d, d), d, d);
			w.wV = f.create(WeightFactory.columns(qkv, 3 * d, 2 * d, d), d, d);
			w.bQ = f.create(WeightFactory.rows(qkvBias, 1, 0, d), d);
			w.bK = f.create(WeightFactory.rows(qkvBias, 1, d, d), d);
			w.bV = f.create(WeightFactory.rows(qkvBias, 1, 2 * d, d), d);
			w.wO = f.conv1d(p + "attn.c_proj.weight", d, d);
			w.bO = f.vector(p + "attn.c_proj.bias", d);
			w.ln2W = f.vector(p + "ln_2.weight", d);
			w.ln2B = f.vector(p + "ln_2.bias", d);
			w.wIn = f.conv1d(p + "mlp.c_fc.weight", d, c.dMlp());
			w.bIn = f.vector(p + "mlp.c_fc.bias", c.dMlp());
			w.wOut = f.conv1d(p + "mlp.c_proj.weight", c.dMlp(), d);
			w.bOut = f.vector(p + "mlp.c_proj.bias", d);
			m.layers[l] = w;
		}
		m.lnFinalW = f.vector(root + "ln_f.weight", d);
		m.lnFinalB = f.vector(root + "ln_f.bias", d);
		m.unembed = unembed(c, f, "lm_head.weight", root + "wte.weight");
		return m;
	}

	private static ModelWeights neox(ModelConfig c, WeightFactory f) {
		int d = c.dModel();
		int dh = c.dHead();
		ModelWeights m = new ModelWeights();
		m.embed = f.matrix("gpt_neox.embed_in.weight", c.vocabSize(), d);
		m.layers = new LayerWeights[c.nLayers()];
		for (int l = 0; l < c.nLayers(); l++) {
			String p = "gpt_neox.layers." + l + ".";
			LayerWeights w = new LayerWeights();
			w.ln1W = f.vector(p + "input_layernorm.weight", d);
			w.ln1B = f.vector(p + "input_layernorm.bias", d);
			// query_key_value rows are per head: [head][q | k | v][dHead]
			float[] qkv = f.source().floats(p + "attention.query_key_value.weight", 3L * d, d);
			// attention_bias (default true) covers query_key_value and dense
			float[] qkvBias = c.attentionBias() ? f.source().floats(p + "attention.query_key_value.bias", 3L * d) : new float[3 * d];
			float[][] split = new float[3][];
			float[][] splitBias = new float[3][];
			for (int part = 0; part < 3; part++) {
				split[part] = new float[d * d];
				splitBias[part] = new float[d];
				for (int h = 0; h < c.nHeads(); h++) {
					int from = h * 3 * dh + part * dh;
					System.arraycopy(qkv, from * d, split[part], h * dh * d, dh * d);
					System.arraycopy(qkvBias, from, splitBias[part], h * dh, dh);
				}
			}
			w.wQ = f.create(WeightFactory.transpose(split[0], d, d), d, d);
			w.wK = f.create(WeightFactory.transpose(split[1], d, d), d, d);
			w.wV = f.create(WeightFactory.transpose(split[2], d, d), d, d);
			if (c.attentionBias()) {
				w.bQ = f.create(splitBias[0], d);
				w.bK = f.create(splitBias[1], d);
				w.bV = f.create(splitBias[2], d);
				w.bO = f.vector(p + "attention.dense.bias", d);
			}
			w.wO = f.linear(p + "attention.dense.weight", d, d);
			w.ln2W = f.vector(p + "post_attention_layernorm.weight", d);
			w.ln2B = f.vector(p + "post_attention_layernorm.bias", d);
			w.wIn = f.linear(p + "mlp.dense_h_to_4h.weight", c.dMlp(), d);
			w.bIn = f.vector(p + "mlp.dense_h_to_4h.bias", c.dMlp());
			w.wOut = f.linear(p + "mlp.dense_4h_to_h.weight", d, c.dMlp());
			w.bOut = f.vector(p + "mlp.dense_4h_to_h.bias", d);
			m.layers[l] = w;
		}
		m.lnFinalW = f.vector("gpt_neox.final_layer_norm.weight", d);
		m.lnFinalB = f.vector("gpt_neox.final_layer_norm.bias", d);
		m.unembed = unembed(c, f, "embed_out.weight", "gpt_neox.embed_in.weight");
		return m;
	}

	/**
	 * The unembedding: the head's own weight, or the token embedding when tie_word_embeddings says so (transformers
	 * then ignores a stored head; Lumen accepts one only when it equals the embedding).
	 */
	private static ai.djl.ndarray.NDArray unembed(ModelConfig c, WeightFactory f, String head, String embedding) {
		if (!c.tiedEmbeddings()) {
			return f.linear(head, c.vocabSize(), c.dModel());
		}
		if (f.source().contains(head)
				&& !java.util.Arrays.equals(f.source().floats(head, c.vocabSize(), c.dModel()),
						f.source().floats(embedding, c.vocabSize(), c.dModel()))) {
			throw new ModelLoadException("tie_word_embeddings is true but the checkpoint's '" + head + "' differs from '"
					+ embedding + "'; which one the model uses is ambiguous (set tie_word_embeddings to false to use the head)");
		}
		return f.linear(embedding, c.vocabSize(), c.dModel());
	}

	private static ai.djl.ndarray.NDArray norm(WeightFactory f, String name, int d, boolean plusOne) {
		return plusOne ? f.vectorPlusOne(name, d) : f.vector(name, d);
	}
}
