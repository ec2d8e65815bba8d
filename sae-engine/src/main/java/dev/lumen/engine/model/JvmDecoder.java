package dev.lumen.engine.model;

import dev.lumen.engine.kernel.CpuKernels;
import dev.lumen.engine.kernel.PanelMatrix;
import dev.lumen.engine.kernel.TwoThreadMatVec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A plain-Java forward pass for one Llama-family sequence, one token at a time, in the style of
 * llama2.c's run.c (and mukel/llama2.java). Batch-1 decoding of a small model does about 2 MFLOP per
 * token, less than the cost of the ~200 native calls the DJL path makes, so batch-1 generation runs here,
 * with {@link PositionHook}s at every hook point. It reads the same canonical weights (fused q/k/v with the
 * score scale folded in, q/k rows in rotate_half layout), copied once into {@link PanelMatrix} panels for the
 * {@link CpuKernels} (SIMD through the Vector API when the JVM has it).
 * Disabled with {@code -Dlumen.engine.jvmDecode=false}. With {@code -Dlumen.engine.decodeThreads=2} each
 * session shares its larger products with a helper thread that spins while the session decodes (worth it on an
 * otherwise idle machine, e.g. the CLI; the server keeps the default of 1, its cores serve concurrent requests).
 */
final class JvmDecoder {

	/** Above this many parameters the Java copy of the weights is not worth its memory. */
	static final long MAX_PARAMETERS = 200_000_000L;

	/**
	 * A first step (the prompt) of at least this many multiply-adds (tokens x parameters) runs through DJL in one
	 * batched forward, and decoding continues here from the keys and values it cached: about 30 ms of Java
	 * position-by-position work, where a batched matrix product is several times faster. For the demo model this
	 * never triggers; for a 135M-parameter model it does from 4 prompt tokens on.
	 * {@code -Dlumen.engine.djlPrefillWork=N} overrides it.
	 */
	static final long DJL_PREFILL_WORK = 500_000_000L;

	/** Runs a prompt through DJL on a fresh cache: the model's {@code step}. */
	@FunctionalInterface
	interface BatchedPrefill {
		float[][] step(int[][] tokens, int[][] mask, KvCache cache, List<HookSpec> hooks);
	}

	private static final String[] BLOCK_POINTS = { "hook_resid_pre", "attn.hook_z", "hook_attn_out", "hook_resid_mid",
			"mlp.hook_post", "hook_mlp_out", "hook_resid_post", "ln1.hook_normalized", "ln2.hook_normalized" };

	private static final int RESID_PRE = 0;

	private static final int ATTN_Z = 1;

	private static final int ATTN_OUT = 2;

	private static final int RESID_MID = 3;

	private static final int MLP_POST = 4;

	private static final int MLP_OUT = 5;

	private static final int RESID_POST = 6;

	private static final int LN1 = 7;

	private static final int LN2 = 8;

	private final ModelConfig c;

	private final CpuKernels k = CpuKernels.best();

	private final float[] embed; // [vocab * dModel]

	private final float[][] ln1W; // [layer][dModel]

	private final PanelMatrix[] wQkv; // [layer] of [dModel, (nHeads + 2 nKv) * dHead], q part pre-scaled

	private final float[][] bQkv; // [layer][(nHeads + 2 nKv) * dHead] or null entries

	private final PanelMatrix[] wO; // [layer] of [nHeads * dHead, dModel]

	private final float[][] bO; // [layer][dModel] or null entries (attention_bias)

	private final float[][] bGateUp; // [layer][2 * dMlp] or null entries (mlp_bias)

	private final float[][] bOut; // [layer][dModel] or null entries (mlp_bias)

	private final float attentionFactor; // multiplies cos and sin (yarn), else 1

	private final float[][] ln2W; // [layer][dModel]

	private final PanelMatrix[] wGateUp; // [layer] of [dModel, 2 * dMlp]

	private final PanelMatrix[] wOut; // [layer] of [dMlp, dModel]

	private final float[] lnFinalW; // [dModel]

	private final PanelMatrix unembed; // [dModel, vocab]

	private final float[][] cos; // [maxSeqLen][dHead / 2]

	private final float[][] sin; // [maxSeqLen][dHead / 2]

	private final long parameters;

	private final BatchedPrefill prefill;

	private final java.util.function.IntFunction<KvCache> newCache;

	/** @return parameters, the multiply-adds of one position's forward pass (embedding and unembedding included) */
	static long parameters(ModelConfig config) {
		return (long) config.vocabSize() * config.dModel() * 2 + (long) config.nLayers()
				* ((long) config.dModel() * (config.nHeads() + 2 * config.nKvHeads()) * config.dHead() * 2
						+ 3L * config.dModel() * config.dMlp());
	}

	static boolean supports(ModelConfig config, ai.djl.Device device, ai.djl.ndarray.types.DataType dtype) {
		// Llama rotates whole heads (partial rotary is refused when its config loads), which rope() relies on
		return config.architecture() == Architecture.LLAMA && config.rotaryDim() == config.dHead() && !device.isGpu()
				&& dtype == ai.djl.ndarray.types.DataType.FLOAT32 && parameters(config) <= MAX_PARAMETERS
				&& !"false".equalsIgnoreCase(System.getProperty("lumen.engine.jvmDecode", "true"));
	}

	/**
	 * @param prefill the model's batched step, for long prompts
	 * @param newCache the model's {@code newCache}
	 */
	JvmDecoder(ModelConfig config, ModelWeights w, float[] invFreq, float attentionFactor, BatchedPrefill prefill,
			java.util.function.IntFunction<KvCache> newCache) {
		this.c = config;
		this.parameters = parameters(config);
		this.prefill = prefill;
		this.newCache = newCache;
		int L = config.nLayers();
		int dim = config.dModel();
		int qDim = config.nHeads() * config.dHead();
		int qkvDim = (config.nHeads() + 2 * config.nKvHeads()) * config.dHead();
		this.embed = w.embed.toFloatArray();
		this.ln1W = new float[L][];
		this.wQkv = new PanelMatrix[L];
		this.bQkv = new float[L][];
		this.wO = new PanelMatrix[L];
		this.bO = new float[L][];
		this.bGateUp = new float[L][];
		this.bOut = new float[L][];
		this.attentionFactor = attentionFactor;
		this.ln2W = new float[L][];
		this.wGateUp = new PanelMatrix[L];
		this.wOut = new PanelMatrix[L];
		for (int l = 0; l < L; l++) {
			LayerWeights lw = w.layers[l];
			this.ln1W[l] = lw.ln1W.toFloatArray();
			this.wQkv[l] = this.k.pack(lw.wQkv.toFloatArray(), dim, qkvDim);
			this.bQkv[l] = lw.bQkv == null ? null : lw.bQkv.toFloatArray();
			this.wO[l] = this.k.pack(lw.wO.toFloatArray(), qDim, dim);
			this.bO[l] = lw.bO == null ? null : lw.bO.toFloatArray();
			this.bGateUp[l] = lw.bGateUp == null ? null : lw.bGateUp.toFloatArray();
			this.bOut[l] = lw.bOut == null ? null : lw.bOut.toFloatArray();
			this.ln2W[l] = lw.ln2W.toFloatArray();
			this.wGateUp[l] = this.k.pack(lw.wGateUp.toFloatArray(), dim, 2 * config.dMlp());
			this.wOut[l] = this.k.pack(lw.wOut.toFloatArray(), config.dMlp(), dim);
		}
		this.lnFinalW = w.lnFinalW.toFloatArray();
		this.unembed = this.k.pack(w.unembed.toFloatArray(), dim, config.vocabSize());
		// rotation angles once per position, not per layer and head
		int half = config.dHead() / 2;
		this.cos = new float[config.maxSeqLen()][half];
		this.sin = new float[config.maxSeqLen()][half];
		for (int p = 0; p < config.maxSeqLen(); p++) {
			for (int i = 0; i < half; i++) {
				float angle = p * invFreq[i];
				this.cos[p][i] = (float) Math.cos(angle) * attentionFactor;
				this.sin[p][i] = (float) Math.sin(angle) * attentionFactor;
			}
		}
	}

	/**
	 * Opens a batch-1 session with its own KV cache.
	 * @param hooks hook specs whose functions are all {@link PositionHook}s, names already validated
	 */
	DecodeSession open(List<HookSpec> hooks) {
		return new Session(hooks);
	}

	private final class Session implements DecodeSession {

		private final int seqStride; // keys per cached row, the context rounded up to 16 so score loops need no tail

		private final float[][] keyCacheT; // [layer][kvDim * seqStride]: keys transposed, so scores are axpys

		private final float[][] valueCache; // [layer][seqLen * kvDim]

		private final PositionHook[][][] hooks; // [layer][point][hook]

		private final String[][] hookNames; // [layer][point]

		private final PositionHook[] lnFinalHooks;

		private int pos;

		private int step;

		private final TwoThreadMatVec split; // null with one decode thread

		private final List<HookSpec> specs;

		// scratch buffers, as run.c's RunState
		private final float[] x = new float[JvmDecoder.this.c.dModel()];

		private final float[] xb = new float[JvmDecoder.this.c.dModel()];

		private final float[] qkv;

		private final float[] z;

		private final float[] att;

		private final float[] hb;

		private final float[] mlpPost; // [dMlp], only used when a hook reads mlp.hook_post

		private final float[] logits;

		Session(List<HookSpec> specs) {
			ModelConfig c = JvmDecoder.this.c;
			this.specs = specs;
			int kvDim = c.nKvHeads() * c.dHead();
			this.seqStride = (c.maxSeqLen() + 15) / 16 * 16;
			this.keyCacheT = new float[c.nLayers()][kvDim * this.seqStride];
			this.valueCache = new float[c.nLayers()][c.maxSeqLen() * kvDim];
			this.qkv = new float[(c.nHeads() + 2 * c.nKvHeads()) * c.dHead()];
			this.z = new float[c.nHeads() * c.dHead()];
			this.att = new float[this.seqStride];
			this.hb = new float[2 * c.dMlp()];
			this.mlpPost = new float[c.dMlp()];
			this.logits = new float[c.vocabSize()];
			this.hooks = new PositionHook[c.nLayers()][BLOCK_POINTS.length][];
			this.hookNames = new String[c.nLayers()][BLOCK_POINTS.length];
			for (int l = 0; l < c.nLayers(); l++) {
				for (int p = 0; p < BLOCK_POINTS.length; p++) {
					this.hookNames[l][p] = "blocks." + l + "." + BLOCK_POINTS[p];
					this.hooks[l][p] = hooksAt(specs, this.hookNames[l][p]);
				}
			}
			this.lnFinalHooks = hooksAt(specs, HookNames.lnFinal());
			this.split = Integer.getInteger("lumen.engine.decodeThreads", 1) >= 2 ? new TwoThreadMatVec(JvmDecoder.this.k) : null;
		}

		private void matVec(float[] out, float[] x, PanelMatrix w) {
			if (this.split != null) {
				this.split.matVec(out, x, w);
			}
			else {
				JvmDecoder.this.k.matVec(out, x, w);
			}
		}

		private static PositionHook[] hooksAt(List<HookSpec> specs, String name) {
			List<PositionHook> found = new ArrayList<>();
			for (HookSpec s : specs) {
				if (s.hookName().equals(name)) {
					found.add((PositionHook) s.fn());
				}
			}
			return found.isEmpty() ? null : found.toArray(new PositionHook[0]);
		}

		@Override
		public float[][] step(int[][] tokens, int[][] mask) {
			if (tokens.length != 1) {
				throw new IllegalArgumentException("this session decodes batch 1, got " + tokens.length);
			}
			if (tokens[0].length == 0) {
				throw new IllegalArgumentException("a step needs at least one token");
			}
			for (int m : mask[0]) {
				if (m != 1) {
					throw new IllegalArgumentException("a batch-1 session takes no padding");
				}
			}
			if (this.pos == 0 && tokens[0].length > 1 && (long) tokens[0].length * JvmDecoder.this.parameters >= Long
				.getLong("lumen.engine.djlPrefillWork", DJL_PREFILL_WORK)) {
				prefillThroughDjl(tokens, mask);
				this.step++;
				return new float[][] { this.logits.clone() };
			}
			for (int i = 0; i < tokens[0].length; i++) {
				if (this.pos >= JvmDecoder.this.c.maxSeqLen()) {
					throw new IllegalArgumentException("sequence exceeds the model's context of " + JvmDecoder.this.c.maxSeqLen());
				}
				forward(tokens[0][i], i == tokens[0].length - 1);
				this.pos++;
			}
			this.step++;
			return new float[][] { this.logits.clone() };
		}

		@Override
		public int length() {
			return this.pos;
		}

		@Override
		public void close() {
			// plain Java arrays: nothing native to free, only the helper thread to stop
			if (this.split != null) {
				this.split.close();
			}
		}

		/**
		 * Runs the first step through DJL in one batched forward (hooks see it as their DJL call 0), then copies the
		 * keys and values it cached into this session's arrays, so decoding continues here.
		 */
		private void prefillThroughDjl(int[][] tokens, int[][] mask) {
			ModelConfig c = JvmDecoder.this.c;
			int n = tokens[0].length;
			if (n > c.maxSeqLen()) {
				throw new IllegalArgumentException("sequence exceeds the model's context of " + c.maxSeqLen());
			}
			int dh = c.dHead();
			int kvDim = c.nKvHeads() * dh;
			try (KvCache cache = JvmDecoder.this.newCache.apply(1)) {
				float[] out = JvmDecoder.this.prefill.step(tokens, mask, cache, this.specs)[0];
				System.arraycopy(out, 0, this.logits, 0, out.length);
				for (int l = 0; l < c.nLayers(); l++) {
					float[] keysT = cache.keysT(l).toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray(); // [1, nKv, dHead, n]
					float[] values = cache.values(l).toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray(); // [1, nKv, n, dHead]
					for (int row = 0; row < kvDim; row++) {
						System.arraycopy(keysT, row * n, this.keyCacheT[l], row * this.seqStride, n);
					}
					for (int kv = 0; kv < c.nKvHeads(); kv++) {
						for (int t = 0; t < n; t++) {
							System.arraycopy(values, (kv * n + t) * dh, this.valueCache[l], t * kvDim + kv * dh, dh);
						}
					}
				}
			}
			this.pos = n;
		}

		private void hook(PositionHook[] at, float[] activation, String name, boolean last) {
			if (at != null) {
				for (PositionHook h : at) {
					h.applyInPlace(activation, name, this.step, last);
				}
			}
		}

		private void forward(int token, boolean last) {
			JvmDecoder d = JvmDecoder.this;
			ModelConfig c = d.c;
			int dim = c.dModel();
			if (token < 0 || token >= c.vocabSize()) {
				throw new IllegalArgumentException("token id " + token + " is outside the vocabulary [0, " + c.vocabSize() + ")");
			}
			System.arraycopy(d.embed, token * dim, this.x, 0, dim);
			for (int l = 0; l < c.nLayers(); l++) {
				PositionHook[][] h = this.hooks[l];
				String[] names = this.hookNames[l];
				hook(h[RESID_PRE], this.x, names[RESID_PRE], last);
				norm(this.xb, this.x, d.ln1W[l], h[LN1], names[LN1], last);
				// q, k, v for this position (q pre-scaled by the attention score scale)
				matVec(this.qkv, this.xb, d.wQkv[l]);
				if (d.bQkv[l] != null) {
					add(this.qkv, d.bQkv[l]);
				}
				attention(l);
				hook(h[ATTN_Z], this.z, names[ATTN_Z], last);
				matVec(this.xb, this.z, d.wO[l]);
				if (d.bO[l] != null) {
					add(this.xb, d.bO[l]);
				}
				hook(h[ATTN_OUT], this.xb, names[ATTN_OUT], last);
				add(this.x, this.xb);
				hook(h[RESID_MID], this.x, names[RESID_MID], last);
				// ffn rmsnorm, then w2(silu(w1 x) * w3 x)
				norm(this.xb, this.x, d.ln2W[l], h[LN2], names[LN2], last);
				matVec(this.hb, this.xb, d.wGateUp[l]);
				if (d.bGateUp[l] != null) {
					add(this.hb, d.bGateUp[l]);
				}
				d.k.siluGate(this.hb, c.dMlp());
				if (h[MLP_POST] != null) {
					// the hook sees exactly [dMlp]; hb also holds the up projection behind it
					System.arraycopy(this.hb, 0, this.mlpPost, 0, c.dMlp());
					hook(h[MLP_POST], this.mlpPost, names[MLP_POST], last);
					System.arraycopy(this.mlpPost, 0, this.hb, 0, c.dMlp());
				}
				matVec(this.xb, this.hb, d.wOut[l]);
				if (d.bOut[l] != null) {
					add(this.xb, d.bOut[l]);
				}
				hook(h[MLP_OUT], this.xb, names[MLP_OUT], last);
				add(this.x, this.xb);
				hook(h[RESID_POST], this.x, names[RESID_POST], last);
			}
			if (this.lnFinalHooks != null) {
				// = TransformerLens ln_final.hook_normalized: before the gain (folded away in TL)
				rmsnorm(this.xb, this.x, null, c.normEps());
				hook(this.lnFinalHooks, this.xb, HookNames.lnFinal(), last);
				for (int i = 0; i < dim; i++) {
					this.xb[i] *= d.lnFinalW[i];
				}
			}
			else if (last) {
				rmsnorm(this.xb, this.x, d.lnFinalW, c.normEps());
			}
			if (last) {
				matVec(this.logits, this.xb, d.unembed);
			}
		}

		/** RMSNorm of x into out, through the hook_normalized point (before the gain) when a hook reads it. */
		private void norm(float[] out, float[] x, float[] gain, PositionHook[] hooks, String name, boolean last) {
			float eps = JvmDecoder.this.c.normEps();
			if (hooks == null) {
				rmsnorm(out, x, gain, eps);
				return;
			}
			rmsnorm(out, x, null, eps);
			hook(hooks, out, name, last);
			for (int i = 0; i < out.length; i++) {
				out[i] *= gain[i];
			}
		}

		/** Rotates q and k, caches k and v at this position, and leaves the attention output in z. */
		private void attention(int l) {
			JvmDecoder d = JvmDecoder.this;
			CpuKernels k = d.k;
			ModelConfig c = d.c;
			int dh = c.dHead();
			int qDim = c.nHeads() * dh;
			int kvDim = c.nKvHeads() * dh;
			int group = c.groupSize();
			rope(this.qkv, c.nHeads() + c.nKvHeads(), dh);
			float[] kT = this.keyCacheT[l];
			float[] vCache = this.valueCache[l];
			for (int i = 0; i < kvDim; i++) {
				kT[i * this.seqStride + this.pos] = this.qkv[qDim + i];
			}
			System.arraycopy(this.qkv, qDim + kvDim, vCache, this.pos * kvDim, kvDim);
			int n = this.pos + 1;
			// entries past pos in the transposed key rows are still zero, so scoring a multiple of 16 positions is safe
			int nScored = Math.min((n + 15) / 16 * 16, this.seqStride);
			for (int head = 0; head < c.nHeads(); head++) {
				int kvOff = (head / group) * dh;
				// scores[t] = q . k[t], summed over i in order, one axpy over positions per i
				Arrays.fill(this.att, 0, nScored, 0f);
				for (int i = 0; i < dh; i++) {
					k.axpy(this.att, 0, this.qkv[head * dh + i], kT, (kvOff + i) * this.seqStride, nScored);
				}
				float max = k.max(this.att, n);
				float sum = k.expShiftSum(this.att, n, max);
				int zOff = head * dh;
				Arrays.fill(this.z, zOff, zOff + dh, 0f);
				float inv = 1f / sum;
				for (int t = 0; t < n; t++) {
					k.axpy(this.z, zOff, this.att[t] * inv, vCache, t * kvDim + kvOff, dh);
				}
			}
		}

		private void rope(float[] v, int heads, int dh) {
			int half = dh / 2;
			float[] cos = JvmDecoder.this.cos[this.pos];
			float[] sin = JvmDecoder.this.sin[this.pos];
			for (int h = 0; h < heads; h++) {
				int a = h * dh;
				for (int i = 0; i < half; i++) {
					float x1 = v[a + i];
					float x2 = v[a + i + half];
					v[a + i] = x1 * cos[i] - x2 * sin[i];
					v[a + i + half] = x2 * cos[i] + x1 * sin[i];
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
			out[i] = w == null ? inv * x[i] : w[i] * (inv * x[i]);
		}
	}

	private static void add(float[] a, float[] b) {
		for (int i = 0; i < a.length; i++) {
			a[i] += b[i];
		}
	}
}
