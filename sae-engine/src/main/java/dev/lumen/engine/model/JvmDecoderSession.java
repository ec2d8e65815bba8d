package dev.lumen.engine.model;

import ai.djl.ndarray.types.DataType;
import dev.lumen.engine.kernel.PanelMatrix;
import dev.lumen.engine.kernel.TwoThreadMatVec;
import dev.lumen.engine.model.JvmHooks.Point;
import java.util.List;

/**
 * A batch-1 decode session of the plain-Java decoder: the step loop over positions, blocks and their hook points,
 * in the order of {@link TransformerBlock} (sequential or GPT-NeoX parallel residual, Gemma 2 post-norms), with
 * scratch buffers allocated once as run.c's RunState.
 */
final class JvmDecoderSession implements DecodeSession {

	private final JvmDecoder d;

	private final ModelConfig c;

	private JvmWeights w; // null until the first position runs here (a DJL prefill does not need it)

	private final List<HookSpec> specs;

	private final JvmHooks hooks;

	private final JvmAttention attention;

	private final TwoThreadMatVec split; // null with one decode thread

	private int pos;

	private int step;

	private final float[] x; // [dModel] the residual stream

	private final float[] xb; // [dModel] normalised input of attention or the MLP

	private final float[] attnOut; // [dModel]

	private final float[] mlpOut; // [dModel]

	private final float[] qkv; // [(nHeads + 2 nKv) * dHead]

	private final float[] z; // [nHeads * dHead]

	private final float[] hidden; // [2 * dMlp] gate | up for gated MLPs, else [dMlp]

	private final float[] mlpPost; // [dMlp], what a hook at mlp.hook_post sees of a gated MLP's hidden

	private final float[] logits; // [vocab]

	JvmDecoderSession(JvmDecoder d, List<HookSpec> specs, boolean twoThreads) {
		this.d = d;
		this.c = d.config();
		this.specs = specs;
		this.hooks = new JvmHooks(specs, this.c.nLayers());
		this.attention = new JvmAttention(this.c, d.kernels(), d.rotary());
		this.split = twoThreads ? new TwoThreadMatVec(d.kernels()) : null;
		this.x = new float[this.c.dModel()];
		this.xb = new float[this.c.dModel()];
		this.attnOut = new float[this.c.dModel()];
		this.mlpOut = new float[this.c.dModel()];
		this.qkv = new float[(this.c.nHeads() + 2 * this.c.nKvHeads()) * this.c.dHead()];
		this.z = new float[this.c.nHeads() * this.c.dHead()];
		this.hidden = new float[(this.c.architecture().gatedMlp() ? 2 : 1) * this.c.dMlp()];
		this.mlpPost = new float[this.c.dMlp()];
		this.logits = new float[this.c.vocabSize()];
	}

	@Override
	public float[][] step(int[][] tokens, int[][] mask) {
		checkBatchOne(tokens, mask);
		int n = tokens[0].length;
		if (this.pos + n > this.c.maxSeqLen()) {
			throw new IllegalArgumentException("sequence exceeds the model's context of " + this.c.maxSeqLen());
		}
		if (this.pos == 0 && n > 1 && this.d.prefillsThroughDjl(n)) {
			prefillThroughDjl(tokens, mask);
		}
		else {
			for (int i = 0; i < n; i++) {
				forward(tokens[0][i], i == n - 1);
				this.pos++;
			}
		}
		this.step++;
		return new float[][] { this.logits.clone() };
	}

	private static void checkBatchOne(int[][] tokens, int[][] mask) {
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
	 * Runs the first step through DJL in one batched forward (hooks see it as their DJL call 0), then copies the keys
	 * and values it cached into this session's arrays, so decoding continues here.
	 */
	private void prefillThroughDjl(int[][] tokens, int[][] mask) {
		int n = tokens[0].length;
		try (KvCache cache = this.d.newCache(1)) {
			float[] out = this.d.prefill().step(tokens, mask, cache, this.specs)[0];
			System.arraycopy(out, 0, this.logits, 0, out.length);
			for (int l = 0; l < this.c.nLayers(); l++) {
				float[] keysT = cache.keysT(l).toType(DataType.FLOAT32, false).toFloatArray(); // [1, nKv, dHead, n]
				float[] values = cache.values(l).toType(DataType.FLOAT32, false).toFloatArray(); // [1, nKv, n, dHead]
				this.attention.load(l, keysT, values, n);
			}
		}
		this.pos = n;
	}

	/** One position: embed, every block, and (for the step's last position) the logits. */
	private void forward(int token, boolean last) {
		if (this.w == null) {
			this.w = this.d.weights();
		}
		int dim = this.c.dModel();
		if (token < 0 || token >= this.c.vocabSize()) {
			throw new IllegalArgumentException("token id " + token + " is outside the vocabulary [0, " + this.c.vocabSize() + ")");
		}
		for (int i = 0; i < dim; i++) {
			this.x[i] = this.w.embed[token * dim + i] * this.w.embedScale;
		}
		if (this.w.posEmbed != null) {
			for (int i = 0; i < dim; i++) {
				this.x[i] += this.w.posEmbed[this.pos * dim + i];
			}
		}
		for (int l = 0; l < this.c.nLayers(); l++) {
			block(l, last);
		}
		if (this.hooks.touchesLnFinal() || last) {
			// = TransformerLens ln_final.hook_normalized: before the gain and bias (folded away in TL)
			JvmOps.normalize(this.xb, this.x, this.c.architecture().norm(), this.c.normEps());
			this.hooks.applyLnFinal(this.xb, this.step, last);
			JvmOps.affine(this.xb, this.w.lnFinalW, this.w.lnFinalB);
		}
		if (last) {
			matVec(this.logits, this.xb, this.w.unembed);
			JvmOps.add(this.logits, this.w.bUnembed);
			if (this.c.finalSoftcap() > 0) {
				JvmOps.softcap(this.logits, 0, this.logits.length, this.c.finalSoftcap());
			}
		}
	}

	/** One residual block, as {@link TransformerBlock#forward}. */
	private void block(int l, boolean last) {
		JvmWeights.Layer lw = this.w.layers[l];
		hook(l, Point.RESID_PRE, this.x, last);
		norm(this.xb, this.x, lw.ln1W(), lw.ln1B(), l, Point.LN1, last);
		// q, k, v for this position (q pre-scaled by the attention score scale)
		matVec(this.qkv, this.xb, lw.wQkv());
		JvmOps.add(this.qkv, lw.bQkv());
		this.attention.attend(l, this.pos, this.qkv, this.z);
		hook(l, Point.ATTN_Z, this.z, last);
		matVec(this.attnOut, this.z, lw.wO());
		JvmOps.add(this.attnOut, lw.bO());
		postNorm(this.attnOut, lw.ln1PostW());
		hook(l, Point.ATTN_OUT, this.attnOut, last);
		if (this.c.parallelResidual()) {
			// GPT-NeoX use_parallel_residual: the MLP reads the block input too
			norm(this.xb, this.x, lw.ln2W(), lw.ln2B(), l, Point.LN2, last);
			mlp(l, lw, last);
			JvmOps.add(this.x, this.attnOut);
		}
		else {
			// residual connection back into x (= TransformerLens hook_resid_mid)
			JvmOps.add(this.x, this.attnOut);
			hook(l, Point.RESID_MID, this.x, last);
			norm(this.xb, this.x, lw.ln2W(), lw.ln2B(), l, Point.LN2, last);
			mlp(l, lw, last);
		}
		JvmOps.add(this.x, this.mlpOut);
		hook(l, Point.RESID_POST, this.x, last);
	}

	/** The MLP of xb into mlpOut: act(gate) * up or act(in), through mlp.hook_post, then the output projection. */
	private void mlp(int l, JvmWeights.Layer lw, boolean last) {
		int dMlp = this.c.dMlp();
		Architecture arch = this.c.architecture();
		matVec(this.hidden, this.xb, lw.wIn());
		JvmOps.add(this.hidden, lw.bIn());
		if (!arch.gatedMlp()) {
			JvmOps.activate(this.hidden, dMlp, arch.activation());
			hook(l, Point.MLP_POST, this.hidden, last);
		}
		else {
			if (arch.activation() == Architecture.Activation.SILU) {
				this.d.kernels().siluGate(this.hidden, dMlp);
			}
			else {
				JvmOps.gate(this.hidden, dMlp, arch.activation());
			}
			if (this.hooks.touches(l, Point.MLP_POST)) {
				// the hook sees exactly [dMlp]; hidden also holds the up projection behind it
				System.arraycopy(this.hidden, 0, this.mlpPost, 0, dMlp);
				hook(l, Point.MLP_POST, this.mlpPost, last);
				System.arraycopy(this.mlpPost, 0, this.hidden, 0, dMlp);
			}
		}
		matVec(this.mlpOut, this.hidden, lw.wOut());
		JvmOps.add(this.mlpOut, lw.bOut());
		postNorm(this.mlpOut, lw.ln2PostW());
		hook(l, Point.MLP_OUT, this.mlpOut, last);
	}

	/** Normalises x into out, through the block's hook_normalized point (before gain and bias). */
	private void norm(float[] out, float[] x, float[] gain, float[] bias, int layer, Point point, boolean last) {
		JvmOps.normalize(out, x, this.c.architecture().norm(), this.c.normEps());
		hook(layer, point, out, last);
		JvmOps.affine(out, gain, bias);
	}

	/** Gemma 2's norm of a block output before the residual add, in place; nothing when gain is null. */
	private void postNorm(float[] v, float[] gain) {
		if (gain != null) {
			JvmOps.normalize(v, v, this.c.architecture().norm(), this.c.normEps());
			JvmOps.affine(v, gain, null);
		}
	}

	private void hook(int layer, Point point, float[] activation, boolean last) {
		this.hooks.apply(layer, point, activation, this.step, last);
	}

	private void matVec(float[] out, float[] in, PanelMatrix m) {
		if (this.split != null) {
			this.split.matVec(out, in, m);
		}
		else {
			this.d.kernels().matVec(out, in, m);
		}
	}
}
