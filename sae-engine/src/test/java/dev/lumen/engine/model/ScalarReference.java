package dev.lumen.engine.model;

import java.util.Map;

/**
 * A deliberately plain, double-precision forward pass written from the Hugging Face modeling code
 * (modeling_llama, modeling_gemma2, modeling_gpt2, modeling_gpt_neox) for one unpadded sequence, with
 * weights in HF names and layouts. It shares no code with the engine, so agreement checks both.
 */
final class ScalarReference {

	private final TinySpec s;

	private final Map<String, float[]> t;

	ScalarReference(TinySpec spec, Map<String, float[]> tensors) {
		this.s = spec;
		this.t = tensors;
	}

	/** @return logits [pos][vocab] */
	double[][] logits(int[] tokens) {
		return switch (this.s.hfArch()) {
			case "LlamaForCausalLM", "Gemma2ForCausalLM" -> llamaOrGemma(tokens);
			case "GPT2LMHeadModel" -> gpt2(tokens);
			case "GPTNeoXForCausalLM" -> neox(tokens);
			default -> throw new IllegalArgumentException(this.s.hfArch());
		};
	}

	// ---------------------------------------------------------------- Llama / Gemma 2

	private double[][] llamaOrGemma(int[] tokens) {
		boolean gemma = this.s.hfArch().startsWith("Gemma");
		int n = tokens.length;
		int d = this.s.d();
		double[][] x = new double[n][];
		for (int i = 0; i < n; i++) {
			x[i] = row(this.t.get("model.embed_tokens.weight"), tokens[i], d);
			if (gemma) {
				scale(x[i], Math.sqrt(d));
			}
		}
		for (int l = 0; l < this.s.layers(); l++) {
			String p = "model.layers." + l + ".";
			double[][] h = new double[n][];
			for (int i = 0; i < n; i++) {
				h[i] = rms(x[i], this.t.get(p + "input_layernorm.weight"), gemma);
			}
			double scaleQk = gemma ? 1 / Math.sqrt(this.s.queryPreAttnScalar()) : 1 / Math.sqrt(this.s.dHead());
			int window = gemma && l % 2 == 0 ? this.s.slidingWindow() : 0;
			double[][] attn = attention(h, p + "self_attn.q_proj", p + "self_attn.k_proj", p + "self_attn.v_proj",
					p + "self_attn.o_proj", scaleQk, window, gemma ? this.s.attnSoftcap() : 0, this.s.dHead());
			for (int i = 0; i < n; i++) {
				if (gemma) {
					attn[i] = rms(attn[i], this.t.get(p + "post_attention_layernorm.weight"), true);
				}
				add(x[i], attn[i]);
				double[] h2 = rms(x[i], this.t.get(p + (gemma ? "pre_feedforward_layernorm.weight" : "post_attention_layernorm.weight")), gemma);
				double[] gate = linear(p + "mlp.gate_proj.weight", null, h2, this.s.dMlp());
				double[] up = linear(p + "mlp.up_proj.weight", null, h2, this.s.dMlp());
				for (int j = 0; j < gate.length; j++) {
					gate[j] = (gemma ? geluTanh(gate[j]) : gate[j] / (1 + Math.exp(-gate[j]))) * up[j];
				}
				double[] m = linear(p + "mlp.down_proj.weight", null, gate, d);
				if (gemma) {
					m = rms(m, this.t.get(p + "post_feedforward_layernorm.weight"), true);
				}
				add(x[i], m);
			}
		}
		String head = this.t.containsKey("lm_head.weight") ? "lm_head.weight" : "model.embed_tokens.weight";
		double[][] out = new double[n][];
		for (int i = 0; i < n; i++) {
			out[i] = linear(head, null, rms(x[i], this.t.get("model.norm.weight"), gemma), this.s.vocab());
			if (gemma) {
				for (int v = 0; v < out[i].length; v++) {
					out[i][v] = Math.tanh(out[i][v] / this.s.finalSoftcap()) * this.s.finalSoftcap();
				}
			}
		}
		return out;
	}

	/** Llama-style attention with separate q/k/v/o Linear weights and rotate_half RoPE. */
	private double[][] attention(double[][] h, String wq, String wk, String wv, String wo, double scaleQk, int window,
			double softcap, int dh) {
		int n = h.length;
		int qDim = this.s.heads() * dh;
		int kvDim = this.s.kvHeads() * dh;
		double[][] q = new double[n][];
		double[][] k = new double[n][];
		double[][] v = new double[n][];
		for (int i = 0; i < n; i++) {
			q[i] = linear(wq + ".weight", null, h[i], qDim);
			k[i] = linear(wk + ".weight", null, h[i], kvDim);
			v[i] = linear(wv + ".weight", null, h[i], kvDim);
			for (int hd = 0; hd < this.s.heads(); hd++) {
				rope(q[i], hd * dh, dh, dh, i);
			}
			for (int hd = 0; hd < this.s.kvHeads(); hd++) {
				rope(k[i], hd * dh, dh, dh, i);
			}
		}
		int group = this.s.heads() / this.s.kvHeads();
		double[][] out = new double[n][];
		for (int i = 0; i < n; i++) {
			double[] z = new double[qDim];
			for (int hd = 0; hd < this.s.heads(); hd++) {
				int kvh = hd / group;
				double[] w = new double[i + 1];
				for (int j = 0; j <= i; j++) {
					double dot = 0;
					for (int e = 0; e < dh; e++) {
						dot += q[i][hd * dh + e] * k[j][kvh * dh + e];
					}
					dot *= scaleQk;
					if (softcap > 0) {
						dot = Math.tanh(dot / softcap) * softcap;
					}
					w[j] = window > 0 && i - j >= window ? Double.NEGATIVE_INFINITY : dot;
				}
				softmax(w);
				for (int j = 0; j <= i; j++) {
					for (int e = 0; e < dh; e++) {
						z[hd * dh + e] += w[j] * v[j][kvh * dh + e];
					}
				}
			}
			out[i] = linear(wo + ".weight", null, z, this.s.d());
		}
		return out;
	}

	/** rotate_half RoPE on the first {@code rd} dims of the head starting at {@code off}. */
	private void rope(double[] x, int off, int dh, int rd, int pos) {
		int half = rd / 2;
		for (int i = 0; i < half; i++) {
			double invFreq = 1 / Math.pow(this.s.theta(), 2.0 * i / rd);
			if (this.s.llama3Scaling()) {
				invFreq = llama3(invFreq);
			}
			double c = Math.cos(pos * invFreq);
			double sn = Math.sin(pos * invFreq);
			double a = x[off + i];
			double b = x[off + i + half];
			x[off + i] = a * c - b * sn;
			x[off + i + half] = b * c + a * sn;
		}
	}

	/** transformers' _compute_llama3_parameters with factor 8, low 1, high 4, original context 16 (TinySpec). */
	private static double llama3(double f) {
		double factor = 8;
		double low = 1;
		double high = 4;
		double old = 16;
		double wavelen = 2 * Math.PI / f;
		if (wavelen < old / high) {
			return f;
		}
		if (wavelen > old / low) {
			return f / factor;
		}
		double smooth = (old / wavelen - low) / (high - low);
		return (1 - smooth) * f / factor + smooth * f;
	}

	// ---------------------------------------------------------------- GPT-2

	private double[][] gpt2(int[] tokens) {
		int n = tokens.length;
		int d = this.s.d();
		int heads = this.s.heads();
		int dh = d / heads;
		double[][] x = new double[n][];
		for (int i = 0; i < n; i++) {
			x[i] = row(this.t.get("transformer.wte.weight"), tokens[i], d);
			add(x[i], row(this.t.get("transformer.wpe.weight"), i, d));
		}
		for (int l = 0; l < this.s.layers(); l++) {
			String p = "transformer.h." + l + ".";
			double[][] qkv = new double[n][];
			for (int i = 0; i < n; i++) {
				qkv[i] = conv1d(p + "attn.c_attn", layerNorm(x[i], p + "ln_1"), 3 * d);
			}
			double[][] z = new double[n][d];
			for (int i = 0; i < n; i++) {
				for (int h = 0; h < heads; h++) {
					double[] w = new double[i + 1];
					for (int j = 0; j <= i; j++) {
						double dot = 0;
						for (int e = 0; e < dh; e++) {
							dot += qkv[i][h * dh + e] * qkv[j][d + h * dh + e];
						}
						w[j] = dot / Math.sqrt(dh);
					}
					softmax(w);
					for (int j = 0; j <= i; j++) {
						for (int e = 0; e < dh; e++) {
							z[i][h * dh + e] += w[j] * qkv[j][2 * d + h * dh + e];
						}
					}
				}
			}
			for (int i = 0; i < n; i++) {
				add(x[i], conv1d(p + "attn.c_proj", z[i], d));
				double[] hidden = conv1d(p + "mlp.c_fc", layerNorm(x[i], p + "ln_2"), this.s.dMlp());
				for (int j = 0; j < hidden.length; j++) {
					hidden[j] = geluTanh(hidden[j]);
				}
				add(x[i], conv1d(p + "mlp.c_proj", hidden, d));
			}
		}
		double[][] out = new double[n][];
		for (int i = 0; i < n; i++) {
			out[i] = linear("transformer.wte.weight", null, layerNorm(x[i], "transformer.ln_f"), this.s.vocab());
		}
		return out;
	}

	// ---------------------------------------------------------------- GPT-NeoX

	private double[][] neox(int[] tokens) {
		int n = tokens.length;
		int d = this.s.d();
		int heads = this.s.heads();
		int dh = d / heads;
		int rd = (int) (dh * this.s.rotaryPct());
		double[][] x = new double[n][];
		for (int i = 0; i < n; i++) {
			x[i] = row(this.t.get("gpt_neox.embed_in.weight"), tokens[i], d);
		}
		for (int l = 0; l < this.s.layers(); l++) {
			String p = "gpt_neox.layers." + l + ".";
			double[][] q = new double[n][d];
			double[][] k = new double[n][d];
			double[][] v = new double[n][d];
			for (int i = 0; i < n; i++) {
				double[] qkv = linear(p + "attention.query_key_value.weight", p + "attention.query_key_value.bias",
						layerNorm(x[i], p + "input_layernorm"), 3 * d);
				// view(heads, 3 * dh): per head q, k, v
				for (int h = 0; h < heads; h++) {
					for (int e = 0; e < dh; e++) {
						q[i][h * dh + e] = qkv[h * 3 * dh + e];
						k[i][h * dh + e] = qkv[h * 3 * dh + dh + e];
						v[i][h * dh + e] = qkv[h * 3 * dh + 2 * dh + e];
					}
					rope(q[i], h * dh, dh, rd, i);
					rope(k[i], h * dh, dh, rd, i);
				}
			}
			double[][] next = new double[n][];
			for (int i = 0; i < n; i++) {
				double[] z = new double[d];
				for (int h = 0; h < heads; h++) {
					double[] w = new double[i + 1];
					for (int j = 0; j <= i; j++) {
						double dot = 0;
						for (int e = 0; e < dh; e++) {
							dot += q[i][h * dh + e] * k[j][h * dh + e];
						}
						w[j] = dot / Math.sqrt(dh);
					}
					softmax(w);
					for (int j = 0; j <= i; j++) {
						for (int e = 0; e < dh; e++) {
							z[h * dh + e] += w[j] * v[j][h * dh + e];
						}
					}
				}
				double[] attn = linear(p + "attention.dense.weight", p + "attention.dense.bias", z, d);
				double[] hidden = linear(p + "mlp.dense_h_to_4h.weight", p + "mlp.dense_h_to_4h.bias",
						layerNorm(x[i], p + "post_attention_layernorm"), this.s.dMlp());
				for (int j = 0; j < hidden.length; j++) {
					hidden[j] = 0.5 * hidden[j] * (1 + erf(hidden[j] / Math.sqrt(2)));
				}
				double[] mlp = linear(p + "mlp.dense_4h_to_h.weight", p + "mlp.dense_4h_to_h.bias", hidden, d);
				// use_parallel_residual: x + attn(ln1(x)) + mlp(ln2(x))
				next[i] = x[i].clone();
				add(next[i], attn);
				add(next[i], mlp);
			}
			x = next;
		}
		double[][] out = new double[n][];
		for (int i = 0; i < n; i++) {
			out[i] = linear("embed_out.weight", null, layerNorm(x[i], "gpt_neox.final_layer_norm"), this.s.vocab());
		}
		return out;
	}

	// ---------------------------------------------------------------- kernels

	private static double[] row(float[] m, int r, int cols) {
		double[] out = new double[cols];
		for (int c = 0; c < cols; c++) {
			out[c] = m[r * cols + c];
		}
		return out;
	}

	/** torch Linear: W [out, in] row-major. */
	private double[] linear(String w, String b, double[] x, int out) {
		float[] wt = this.t.get(w);
		float[] bias = b == null ? null : this.t.get(b);
		double[] y = new double[out];
		for (int o = 0; o < out; o++) {
			double acc = bias == null ? 0 : bias[o];
			for (int i = 0; i < x.length; i++) {
				acc += wt[o * x.length + i] * x[i];
			}
			y[o] = acc;
		}
		return y;
	}

	/** GPT-2 Conv1D: W [in, out] row-major, plus bias. */
	private double[] conv1d(String prefix, double[] x, int out) {
		float[] wt = this.t.get(prefix + ".weight");
		float[] bias = this.t.get(prefix + ".bias");
		double[] y = new double[out];
		for (int o = 0; o < out; o++) {
			double acc = bias[o];
			for (int i = 0; i < x.length; i++) {
				acc += x[i] * wt[i * out + o];
			}
			y[o] = acc;
		}
		return y;
	}

	private double[] rms(double[] x, float[] w, boolean plusOne) {
		double ss = 0;
		for (double v : x) {
			ss += v * v;
		}
		double inv = 1 / Math.sqrt(ss / x.length + this.s.eps());
		double[] out = new double[x.length];
		for (int i = 0; i < x.length; i++) {
			out[i] = x[i] * inv * (plusOne ? 1 + w[i] : w[i]);
		}
		return out;
	}

	private double[] layerNorm(double[] x, String prefix) {
		float[] w = this.t.get(prefix + ".weight");
		float[] b = this.t.get(prefix + ".bias");
		double mean = 0;
		for (double v : x) {
			mean += v / x.length;
		}
		double var = 0;
		for (double v : x) {
			var += (v - mean) * (v - mean) / x.length;
		}
		double[] out = new double[x.length];
		for (int i = 0; i < x.length; i++) {
			out[i] = (x[i] - mean) / Math.sqrt(var + this.s.eps()) * w[i] + b[i];
		}
		return out;
	}

	private static void softmax(double[] w) {
		double max = Double.NEGATIVE_INFINITY;
		for (double v : w) {
			max = Math.max(max, v);
		}
		double sum = 0;
		for (int i = 0; i < w.length; i++) {
			w[i] = Math.exp(w[i] - max);
			sum += w[i];
		}
		for (int i = 0; i < w.length; i++) {
			w[i] /= sum;
		}
	}

	private static double geluTanh(double x) {
		return 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
	}

	/** erf by its Maclaurin series (double precision is ample for |x| < 6; beyond, erf = +-1 to 1e-16). */
	static double erf(double x) {
		if (Math.abs(x) > 6) {
			return Math.signum(x);
		}
		double sum = 0;
		double term = x;
		for (int n = 0; n < 200; n++) {
			sum += term / (2 * n + 1);
			term *= -x * x / (n + 1);
		}
		return 2 / Math.sqrt(Math.PI) * sum;
	}

	private static void add(double[] a, double[] b) {
		for (int i = 0; i < a.length; i++) {
			a[i] += b[i];
		}
	}

	private static void scale(double[] a, double f) {
		for (int i = 0; i < a.length; i++) {
			a[i] *= f;
		}
	}
}
