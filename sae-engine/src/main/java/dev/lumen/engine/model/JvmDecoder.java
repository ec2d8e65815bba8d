package dev.lumen.engine.model;

import ai.djl.ndarray.NDArray;

/**
 * A plain-Java forward pass for one Llama-family sequence, one token at a time, in the style of
 * llama2.c's run.c (and mukel/llama2.java). Batch-1 decoding of a small model does about 2 MFLOP per
 * token, less than the cost of the ~200 native calls the DJL path makes, so generation without hooks
 * runs here. It reads the same canonical weights (fused q/k/v with the score scale folded in, q/k rows in
 * rotate_half layout), copied once to Java arrays in the same [in, out] layout.
 * Disabled with {@code -Dlumen.engine.jvmDecode=false}.
 */
final class JvmDecoder {

	/** Above this many parameters the Java copy of the weights is not worth its memory. */
	static final long MAX_PARAMETERS = 200_000_000L;

	private final ModelConfig c;

	private final float[] embed; // [vocab * dModel]

	private final float[][] ln1W; // [layer][dModel]

	private final float[][] wQkv; // [layer][dModel][(nHeads + 2 nKv) * dHead] flattened, q part pre-scaled

	private final float[][] bQkv; // [layer][(nHeads + 2 nKv) * dHead] or null entries

	private final float[][] wO; // [layer][nHeads * dHead][dModel] flattened

	private final float[][] ln2W; // [layer][dModel]

	private final float[][] wGateUp; // [layer][dModel][2 * dMlp] flattened

	private final float[][] wOut; // [layer][dMlp][dModel] flattened

	private final float[] lnFinalW; // [dModel]

	private final float[] unembed; // [dModel][vocab] flattened

	private final float[] invFreq; // [dHead / 2]

	static boolean supports(ModelConfig config, ai.djl.Device device, ai.djl.ndarray.types.DataType dtype) {
		long params = (long) config.vocabSize() * config.dModel() * 2 + (long) config.nLayers()
				* ((long) config.dModel() * (config.nHeads() + 2 * config.nKvHeads()) * config.dHead() * 2
						+ 3L * config.dModel() * config.dMlp());
		return config.architecture() == Architecture.LLAMA && !device.isGpu()
				&& dtype == ai.djl.ndarray.types.DataType.FLOAT32 && params <= MAX_PARAMETERS
				&& !"false".equalsIgnoreCase(System.getProperty("lumen.engine.jvmDecode", "true"));
	}

	JvmDecoder(ModelConfig config, ModelWeights w, float[] invFreq) {
		this.c = config;
		int L = config.nLayers();
		this.embed = w.embed.toFloatArray();
		this.ln1W = new float[L][];
		this.wQkv = new float[L][];
		this.bQkv = new float[L][];
		this.wO = new float[L][];
		this.ln2W = new float[L][];
		this.wGateUp = new float[L][];
		this.wOut = new float[L][];
		for (int l = 0; l < L; l++) {
			LayerWeights lw = w.layers[l];
			this.ln1W[l] = lw.ln1W.toFloatArray();
			this.wQkv[l] = inOut(lw.wQkv);
			this.bQkv[l] = lw.bQkv == null ? null : lw.bQkv.toFloatArray();
			this.wO[l] = inOut(lw.wO);
			this.ln2W[l] = lw.ln2W.toFloatArray();
			this.wGateUp[l] = inOut(lw.wGateUp);
			this.wOut[l] = inOut(lw.wOut);
		}
		this.lnFinalW = w.lnFinalW.toFloatArray();
		this.unembed = inOut(w.unembed);
		this.invFreq = invFreq;
	}

	/** Canonical [in, out] weights, row-major. */
	private static float[] inOut(NDArray w) {
		return w.toFloatArray();
	}

	/** Opens a batch-1 session with its own KV cache. */
	DecodeSession open() {
		return new Session();
	}

	private final class Session implements DecodeSession {

		private final float[][] keyCacheT; // [layer][kvDim * seqLen]: keys transposed, so scores are a vectorizable axpy

		private final float[][] valueCache; // [layer][seqLen * kvDim]

		private int pos;

		// scratch buffers, as run.c's RunState
		private final float[] x = new float[JvmDecoder.this.c.dModel()];

		private final float[] xb = new float[JvmDecoder.this.c.dModel()];

		private final float[] qkv;

		private final float[] z;

		private final float[] att;

		private final float[] hb;

		private final float[] logits;

		Session() {
			ModelConfig c = JvmDecoder.this.c;
			int kvDim = c.nKvHeads() * c.dHead();
			this.keyCacheT = new float[c.nLayers()][kvDim * c.maxSeqLen()];
			this.valueCache = new float[c.nLayers()][c.maxSeqLen() * kvDim];
			this.qkv = new float[(c.nHeads() + 2 * c.nKvHeads()) * c.dHead()];
			this.z = new float[c.nHeads() * c.dHead()];
			this.att = new float[c.maxSeqLen()];
			this.hb = new float[2 * c.dMlp()];
			this.logits = new float[c.vocabSize()];
		}

		@Override
		public float[][] step(int[][] tokens, int[][] mask) {
			if (tokens.length != 1) {
				throw new IllegalArgumentException("this session decodes batch 1, got " + tokens.length);
			}
			for (int i = 0; i < tokens[0].length; i++) {
				if (mask[0][i] != 1) {
					throw new IllegalArgumentException("a batch-1 session takes no padding");
				}
				if (this.pos >= JvmDecoder.this.c.maxSeqLen()) {
					throw new IllegalArgumentException("sequence exceeds the model's context of " + JvmDecoder.this.c.maxSeqLen());
				}
				forward(tokens[0][i], i == tokens[0].length - 1);
				this.pos++;
			}
			return new float[][] { this.logits.clone() };
		}

		@Override
		public int length() {
			return this.pos;
		}

		@Override
		public void close() {
			// plain Java arrays: nothing native to free
		}

		private void forward(int token, boolean wantLogits) {
			JvmDecoder d = JvmDecoder.this;
			ModelConfig c = d.c;
			int dim = c.dModel();
			int dh = c.dHead();
			int qDim = c.nHeads() * dh;
			int kvDim = c.nKvHeads() * dh;
			int group = c.groupSize();
			if (token < 0 || token >= c.vocabSize()) {
				throw new IllegalArgumentException("token id " + token + " is outside the vocabulary [0, " + c.vocabSize() + ")");
			}
			System.arraycopy(d.embed, token * dim, this.x, 0, dim);
			for (int l = 0; l < c.nLayers(); l++) {
				// attention rmsnorm
				rmsnorm(this.xb, this.x, d.ln1W[l], c.normEps());
				// qkv matmuls for this position (q pre-scaled by attnScale)
				matmul(this.qkv, this.xb, d.wQkv[l], dim, this.qkv.length);
				if (d.bQkv[l] != null) {
					for (int i = 0; i < this.qkv.length; i++) {
						this.qkv[i] += d.bQkv[l][i];
					}
				}
				// RoPE, rotate_half pairs (i, i + half) in every q and k head
				rope(this.qkv, c.nHeads() + c.nKvHeads(), dh);
				// save key, value at this position
				int seqLen = c.maxSeqLen();
				for (int i = 0; i < kvDim; i++) {
					this.keyCacheT[l][i * seqLen + this.pos] = this.qkv[qDim + i];
				}
				System.arraycopy(this.qkv, qDim + kvDim, this.valueCache[l], this.pos * kvDim, kvDim);
				// multihead attention over positions 0..pos
				for (int h = 0; h < c.nHeads(); h++) {
					int kvOff = (h / group) * dh;
					// scores[t] = q . k[t], summed over i in order (as run.c), one axpy per i over positions
					int n = this.pos + 1;
					java.util.Arrays.fill(this.att, 0, n, 0f);
					for (int i = 0; i < dh; i++) {
						float qi = this.qkv[h * dh + i];
						int row = (kvOff + i) * seqLen;
						float[] kT = this.keyCacheT[l];
						for (int t = 0; t < n; t++) {
							this.att[t] += qi * kT[row + t];
						}
					}
					float max = Float.NEGATIVE_INFINITY;
					for (int t = 0; t < n; t++) {
						max = Math.max(max, this.att[t]);
					}
					float sum = 0f;
					for (int t = 0; t <= this.pos; t++) {
						this.att[t] = (float) Math.exp(this.att[t] - max);
						sum += this.att[t];
					}
					java.util.Arrays.fill(this.z, h * dh, h * dh + dh, 0f);
					for (int t = 0; t <= this.pos; t++) {
						float a = this.att[t] / sum;
						int v = t * kvDim + kvOff;
						for (int i = 0; i < dh; i++) {
							this.z[h * dh + i] += a * this.valueCache[l][v + i];
						}
					}
				}
				// output projection, residual connection back into x
				matmul(this.xb, this.z, d.wO[l], qDim, dim);
				add(this.x, this.xb);
				// ffn rmsnorm, then w2(silu(w1 x) * w3 x)
				rmsnorm(this.xb, this.x, d.ln2W[l], c.normEps());
				matmul(this.hb, this.xb, d.wGateUp[l], dim, this.hb.length);
				int dMlp = c.dMlp();
				for (int i = 0; i < dMlp; i++) {
					float g = this.hb[i];
					this.hb[i] = g / (1f + (float) Math.exp(-g)) * this.hb[dMlp + i];
				}
				matmul(this.xb, this.hb, d.wOut[l], dMlp, dim);
				add(this.x, this.xb);
			}
			if (wantLogits) {
				rmsnorm(this.xb, this.x, d.lnFinalW, c.normEps());
				matmul(this.logits, this.xb, d.unembed, dim, c.vocabSize());
			}
		}

		private void rope(float[] v, int heads, int dh) {
			int half = dh / 2;
			for (int i = 0; i < half; i++) {
				float angle = this.pos * JvmDecoder.this.invFreq[i];
				float cos = (float) Math.cos(angle);
				float sin = (float) Math.sin(angle);
				for (int h = 0; h < heads; h++) {
					int a = h * dh + i;
					float x1 = v[a];
					float x2 = v[a + half];
					v[a] = x1 * cos - x2 * sin;
					v[a + half] = x2 * cos + x1 * sin;
				}
			}
		}
	}

	static void rmsnorm(float[] out, float[] x, float[] w, float eps) {
		float ss = 0f;
		for (float v : x) {
			ss += v * v;
		}
		float inv = 1f / (float) Math.sqrt(ss / x.length + eps);
		for (int i = 0; i < x.length; i++) {
			out[i] = w[i] * (inv * x[i]);
		}
	}

	/**
	 * out[d] = x[n] times w[n][d] (the canonical [in, out] layout), as one axpy per input: the inner loop
	 * has no reduction, so C2 vectorizes it, and each output still sums its terms in input order, the same
	 * order as run.c's dot product.
	 */
	static void matmul(float[] out, float[] x, float[] w, int n, int d) {
		java.util.Arrays.fill(out, 0, d, 0f);
		int j = 0;
		// four inputs per pass: one load/store of out per four multiply-adds; Java evaluates the sum left to
		// right, so each output still adds its terms in input order
		for (; j + 3 < n; j += 4) {
			float x0 = x[j];
			float x1 = x[j + 1];
			float x2 = x[j + 2];
			float x3 = x[j + 3];
			int r0 = j * d;
			int r1 = r0 + d;
			int r2 = r1 + d;
			int r3 = r2 + d;
			for (int i = 0; i < d; i++) {
				out[i] = out[i] + w[r0 + i] * x0 + w[r1 + i] * x1 + w[r2 + i] * x2 + w[r3 + i] * x3;
			}
		}
		for (; j < n; j++) {
			float xj = x[j];
			int row = j * d;
			for (int i = 0; i < d; i++) {
				out[i] += w[row + i] * xj;
			}
		}
	}

	private static void add(float[] a, float[] b) {
		for (int i = 0; i < a.length; i++) {
			a[i] += b[i];
		}
	}
}
