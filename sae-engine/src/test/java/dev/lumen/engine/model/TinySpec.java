package dev.lumen.engine.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lumen.engine.safetensors.SafetensorsDType;
import dev.lumen.engine.safetensors.SafetensorsWriter;
import dev.lumen.engine.testing.RepoAssets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * A tiny random-weight Hugging Face checkpoint for one architecture: its config.json values, its tensors
 * in HF names and layouts, and a writer for the directory (config.json, model.safetensors and the
 * tinystories tokenizer.model, whose 2048 pieces fit vocab 2048).
 */
record TinySpec(String hfArch, int d, int layers, int heads, int kvHeads, int dHead, int dMlp, int vocab, int ctx,
		double eps, double theta, double rotaryPct, double attnSoftcap, double finalSoftcap, int slidingWindow,
		double queryPreAttnScalar, boolean llama3Scaling, boolean tied) {

	static TinySpec llama() {
		return new TinySpec("LlamaForCausalLM", 16, 2, 4, 2, 4, 24, 2048, 64, 1e-5, 10000, 1, 0, 0, 0, 0, true, false);
	}

	static TinySpec gpt2() {
		return new TinySpec("GPT2LMHeadModel", 16, 2, 4, 4, 4, 64, 2048, 32, 1e-5, 0, 0, 0, 0, 0, 0, false, true);
	}

	static TinySpec neox() {
		return new TinySpec("GPTNeoXForCausalLM", 16, 2, 2, 2, 8, 64, 2048, 64, 1e-5, 10000, 0.5, 0, 0, 0, 0, false, false);
	}

	static TinySpec gemma2() {
		// dHead * heads (32) != d (16), as in real Gemma 2; soft-caps small enough to bite; window 3 < prompt length
		return new TinySpec("Gemma2ForCausalLM", 16, 2, 4, 2, 8, 24, 2048, 64, 1e-6, 10000, 1, 2.0, 3.0, 3, 6, false, true);
	}

	/** @return random tensors, N(0, 0.3) (norm weights around 1), keyed by HF name, row-major as HF stores them */
	Map<String, float[]> randomTensors(long seed) {
		Random r = new Random(seed);
		Map<String, float[]> t = new LinkedHashMap<>();
		int q = this.heads * this.dHead;
		int kv = this.kvHeads * this.dHead;
		switch (this.hfArch) {
			case "LlamaForCausalLM", "Gemma2ForCausalLM" -> {
				boolean gemma = this.hfArch.startsWith("Gemma");
				t.put("model.embed_tokens.weight", rand(r, this.vocab * this.d, 0.3));
				for (int l = 0; l < this.layers; l++) {
					String p = "model.layers." + l + ".";
					t.put(p + "input_layernorm.weight", norm(r, this.d, gemma));
					t.put(p + "self_attn.q_proj.weight", rand(r, q * this.d, 0.3));
					t.put(p + "self_attn.k_proj.weight", rand(r, kv * this.d, 0.3));
					t.put(p + "self_attn.v_proj.weight", rand(r, kv * this.d, 0.3));
					t.put(p + "self_attn.o_proj.weight", rand(r, this.d * q, 0.3));
					t.put(p + "post_attention_layernorm.weight", norm(r, this.d, gemma));
					if (gemma) {
						t.put(p + "pre_feedforward_layernorm.weight", norm(r, this.d, true));
						t.put(p + "post_feedforward_layernorm.weight", norm(r, this.d, true));
					}
					t.put(p + "mlp.gate_proj.weight", rand(r, this.dMlp * this.d, 0.3));
					t.put(p + "mlp.up_proj.weight", rand(r, this.dMlp * this.d, 0.3));
					t.put(p + "mlp.down_proj.weight", rand(r, this.d * this.dMlp, 0.3));
				}
				t.put("model.norm.weight", norm(r, this.d, gemma));
				if (!this.tied) {
					t.put("lm_head.weight", rand(r, this.vocab * this.d, 0.3));
				}
			}
			case "GPT2LMHeadModel" -> {
				t.put("transformer.wte.weight", rand(r, this.vocab * this.d, 0.3));
				t.put("transformer.wpe.weight", rand(r, this.ctx * this.d, 0.3));
				for (int l = 0; l < this.layers; l++) {
					String p = "transformer.h." + l + ".";
					t.put(p + "ln_1.weight", norm(r, this.d, false));
					t.put(p + "ln_1.bias", rand(r, this.d, 0.1));
					t.put(p + "attn.c_attn.weight", rand(r, this.d * 3 * this.d, 0.3));
					t.put(p + "attn.c_attn.bias", rand(r, 3 * this.d, 0.1));
					t.put(p + "attn.c_proj.weight", rand(r, this.d * this.d, 0.3));
					t.put(p + "attn.c_proj.bias", rand(r, this.d, 0.1));
					t.put(p + "ln_2.weight", norm(r, this.d, false));
					t.put(p + "ln_2.bias", rand(r, this.d, 0.1));
					t.put(p + "mlp.c_fc.weight", rand(r, this.d * this.dMlp, 0.3));
					t.put(p + "mlp.c_fc.bias", rand(r, this.dMlp, 0.1));
					t.put(p + "mlp.c_proj.weight", rand(r, this.dMlp * this.d, 0.3));
					t.put(p + "mlp.c_proj.bias", rand(r, this.d, 0.1));
				}
				t.put("transformer.ln_f.weight", norm(r, this.d, false));
				t.put("transformer.ln_f.bias", rand(r, this.d, 0.1));
			}
			case "GPTNeoXForCausalLM" -> {
				t.put("gpt_neox.embed_in.weight", rand(r, this.vocab * this.d, 0.3));
				for (int l = 0; l < this.layers; l++) {
					String p = "gpt_neox.layers." + l + ".";
					t.put(p + "input_layernorm.weight", norm(r, this.d, false));
					t.put(p + "input_layernorm.bias", rand(r, this.d, 0.1));
					t.put(p + "post_attention_layernorm.weight", norm(r, this.d, false));
					t.put(p + "post_attention_layernorm.bias", rand(r, this.d, 0.1));
					t.put(p + "attention.query_key_value.weight", rand(r, 3 * this.d * this.d, 0.3));
					t.put(p + "attention.query_key_value.bias", rand(r, 3 * this.d, 0.1));
					t.put(p + "attention.dense.weight", rand(r, this.d * this.d, 0.3));
					t.put(p + "attention.dense.bias", rand(r, this.d, 0.1));
					t.put(p + "mlp.dense_h_to_4h.weight", rand(r, this.dMlp * this.d, 0.3));
					t.put(p + "mlp.dense_h_to_4h.bias", rand(r, this.dMlp, 0.1));
					t.put(p + "mlp.dense_4h_to_h.weight", rand(r, this.d * this.dMlp, 0.3));
					t.put(p + "mlp.dense_4h_to_h.bias", rand(r, this.d, 0.1));
				}
				t.put("gpt_neox.final_layer_norm.weight", norm(r, this.d, false));
				t.put("gpt_neox.final_layer_norm.bias", rand(r, this.d, 0.1));
				t.put("embed_out.weight", rand(r, this.vocab * this.d, 0.3));
			}
			default -> throw new IllegalArgumentException(this.hfArch);
		}
		return t;
	}

	/** @return the HF shape of a tensor of this spec */
	long[] shapeOf(String name) {
		int q = this.heads * this.dHead;
		int kv = this.kvHeads * this.dHead;
		if (name.endsWith("embed_tokens.weight") || name.endsWith("wte.weight") || name.endsWith("embed_in.weight")
				|| name.equals("lm_head.weight") || name.equals("embed_out.weight")) {
			return new long[] { this.vocab, this.d };
		}
		if (name.endsWith("wpe.weight")) {
			return new long[] { this.ctx, this.d };
		}
		if (name.endsWith("q_proj.weight")) {
			return new long[] { q, this.d };
		}
		if (name.endsWith("k_proj.weight") || name.endsWith("v_proj.weight")) {
			return new long[] { kv, this.d };
		}
		if (name.endsWith("o_proj.weight")) {
			return new long[] { this.d, q };
		}
		if (name.endsWith("gate_proj.weight") || name.endsWith("up_proj.weight") || name.endsWith("dense_h_to_4h.weight")) {
			return new long[] { this.dMlp, this.d };
		}
		if (name.endsWith("down_proj.weight") || name.endsWith("dense_4h_to_h.weight")) {
			return new long[] { this.d, this.dMlp };
		}
		if (name.endsWith("c_attn.weight")) {
			return new long[] { this.d, 3L * this.d };
		}
		if (name.endsWith("attn.c_proj.weight") || name.endsWith("attention.dense.weight")) {
			return new long[] { this.d, this.d };
		}
		if (name.endsWith("c_fc.weight")) {
			return new long[] { this.d, this.dMlp };
		}
		if (name.endsWith("mlp.c_proj.weight")) {
			return new long[] { this.dMlp, this.d };
		}
		if (name.endsWith("query_key_value.weight")) {
			return new long[] { 3L * this.d, this.d };
		}
		if (name.endsWith("c_attn.bias") || name.endsWith("query_key_value.bias")) {
			return new long[] { 3L * this.d };
		}
		if (name.endsWith("c_fc.bias") || name.endsWith("dense_h_to_4h.bias")) {
			return new long[] { this.dMlp };
		}
		return new long[] { this.d };
	}

	/** Writes config.json, model.safetensors (in {@code dtype}) and tokenizer.model into {@code dir}. */
	Path write(Path dir, Map<String, float[]> tensors, SafetensorsDType dtype) throws IOException {
		Files.createDirectories(dir);
		SafetensorsWriter w = new SafetensorsWriter().metadata("format", "pt");
		tensors.forEach((name, data) -> w.addFloats(name, dtype, data, shapeOf(name)));
		w.write(dir.resolve("model.safetensors"));
		Files.writeString(dir.resolve("config.json"), configJson());
		Files.copy(RepoAssets.model("tinystories-1m/tokenizer.model"), dir.resolve("tokenizer.model"));
		return dir;
	}

	String configJson() throws IOException {
		ObjectMapper json = new ObjectMapper();
		ObjectNode c = json.createObjectNode();
		c.putArray("architectures").add(this.hfArch);
		c.put("vocab_size", this.vocab);
		switch (this.hfArch) {
			case "GPT2LMHeadModel" -> {
				c.put("n_embd", this.d).put("n_layer", this.layers).put("n_head", this.heads).put("n_inner", this.dMlp);
				c.put("n_positions", this.ctx).put("layer_norm_epsilon", this.eps).put("activation_function", "gelu_new");
				c.put("bos_token_id", 1).put("eos_token_id", 2);
			}
			case "GPTNeoXForCausalLM" -> {
				c.put("hidden_size", this.d).put("num_hidden_layers", this.layers).put("num_attention_heads", this.heads);
				c.put("intermediate_size", this.dMlp).put("max_position_embeddings", this.ctx).put("layer_norm_eps", this.eps);
				c.put("rotary_pct", this.rotaryPct).put("rotary_emb_base", this.theta).put("use_parallel_residual", true);
				c.put("hidden_act", "gelu").put("tie_word_embeddings", false);
			}
			default -> {
				c.put("hidden_size", this.d).put("num_hidden_layers", this.layers).put("num_attention_heads", this.heads);
				c.put("num_key_value_heads", this.kvHeads).put("head_dim", this.dHead).put("intermediate_size", this.dMlp);
				c.put("max_position_embeddings", this.ctx).put("rms_norm_eps", this.eps).put("rope_theta", this.theta);
				c.put("tie_word_embeddings", this.tied).put("bos_token_id", 1).put("eos_token_id", 2);
				if (this.hfArch.startsWith("Gemma")) {
					c.put("hidden_activation", "gelu_pytorch_tanh").put("query_pre_attn_scalar", this.queryPreAttnScalar);
					c.put("attn_logit_softcapping", this.attnSoftcap).put("final_logit_softcapping", this.finalSoftcap);
					c.put("sliding_window", this.slidingWindow);
				}
				else {
					c.put("hidden_act", "silu");
					if (this.llama3Scaling) {
						c.putObject("rope_scaling").put("rope_type", "llama3").put("factor", 8.0).put("low_freq_factor", 1.0)
							.put("high_freq_factor", 4.0).put("original_max_position_embeddings", 16);
					}
				}
			}
		}
		return json.writerWithDefaultPrettyPrinter().writeValueAsString(c);
	}

	private static float[] rand(Random r, int n, double std) {
		float[] a = new float[n];
		for (int i = 0; i < n; i++) {
			a[i] = (float) (r.nextGaussian() * std);
		}
		return a;
	}

	/** Norm weights near 1 (Gemma stores w with the norm applying 1 + w, so near 0). */
	private static float[] norm(Random r, int n, boolean gemma) {
		float[] a = rand(r, n, 0.1);
		if (!gemma) {
			for (int i = 0; i < n; i++) {
				a[i] += 1f;
			}
		}
		return a;
	}
}
