package dev.lumen.engine.model;

import dev.lumen.engine.kernel.CpuKernels;
import java.util.Arrays;

/**
 * Causal self-attention of one position over a session's cached keys and values (grouped-query heads, rotary or
 * none, Gemma 2's score soft-cap and sliding window), as run.c's attention loop. Owns the session's KV cache.
 */
final class JvmAttention {

	private final ModelConfig c;

	private final CpuKernels k;

	private final JvmRotary rotary; // null for learned positions (GPT-2)

	private final int seqStride; // keys per cached row, the context rounded up to 16 so score loops need no tail

	private final float[][] keyCacheT; // [layer][kvDim * seqStride]: keys transposed, so scores are axpys

	private final float[][] valueCache; // [layer][seqLen * kvDim]

	private final float[] att; // [seqStride] scores, then probabilities

	JvmAttention(ModelConfig c, CpuKernels k, JvmRotary rotary) {
		this.c = c;
		this.k = k;
		this.rotary = rotary;
		int kvDim = c.nKvHeads() * c.dHead();
		this.seqStride = (c.maxSeqLen() + 15) / 16 * 16;
		this.keyCacheT = new float[c.nLayers()][kvDim * this.seqStride];
		this.valueCache = new float[c.nLayers()][c.maxSeqLen() * kvDim];
		this.att = new float[this.seqStride];
	}

	/**
	 * Rotates q and k, caches k and v at {@code pos}, and writes the attention output.
	 * @param qkv [(nHeads + 2 nKv) * dHead] this position's projections, q pre-scaled; rotated in place
	 * @param z [nHeads * dHead] receives the per-head outputs (= TransformerLens hook_z)
	 */
	void attend(int layer, int pos, float[] qkv, float[] z) {
		int dh = this.c.dHead();
		int qDim = this.c.nHeads() * dh;
		int kvDim = this.c.nKvHeads() * dh;
		if (this.rotary != null) {
			this.rotary.rotate(qkv, this.c.nHeads() + this.c.nKvHeads(), dh, pos);
		}
		float[] kT = this.keyCacheT[layer];
		for (int i = 0; i < kvDim; i++) {
			kT[i * this.seqStride + pos] = qkv[qDim + i];
		}
		System.arraycopy(qkv, qDim + kvDim, this.valueCache[layer], pos * kvDim, kvDim);
		// Gemma 2's sliding layers see the last slidingWindow positions only (query - key < window)
		int first = this.c.isSlidingLayer(layer) ? Math.max(0, pos - this.c.slidingWindow() + 1) : 0;
		for (int head = 0; head < this.c.nHeads(); head++) {
			attendHead(layer, head, pos, first, qkv, z);
		}
	}

	private void attendHead(int layer, int head, int pos, int first, float[] q, float[] z) {
		int dh = this.c.dHead();
		int kvDim = this.c.nKvHeads() * dh;
		int kvOff = (head / this.c.groupSize()) * dh;
		int n = pos + 1;
		// entries past pos in the transposed key rows are still zero, so scoring a multiple of 16 positions is safe
		int nScored = Math.min((n + 15) / 16 * 16, this.seqStride);
		float[] kT = this.keyCacheT[layer];
		// scores[t] = q . k[t], summed over i in order, one axpy over positions per i
		Arrays.fill(this.att, 0, nScored, 0f);
		for (int i = 0; i < dh; i++) {
			this.k.axpy(this.att, 0, q[head * dh + i], kT, (kvOff + i) * this.seqStride, nScored);
		}
		int visible = n - first;
		if (first > 0) {
			System.arraycopy(this.att, first, this.att, 0, visible); // softmax over the window only
		}
		if (this.c.attnSoftcap() > 0) {
			JvmOps.softcap(this.att, 0, visible, this.c.attnSoftcap());
		}
		float max = this.k.max(this.att, visible);
		float inv = 1f / this.k.expShiftSum(this.att, visible, max);
		int zOff = head * dh;
		Arrays.fill(z, zOff, zOff + dh, 0f);
		float[] v = this.valueCache[layer];
		for (int t = 0; t < visible; t++) {
			this.k.axpy(z, zOff, this.att[t] * inv, v, (first + t) * kvDim + kvOff, dh);
		}
	}

	/**
	 * Takes the keys and values of the first {@code n} positions from a batched forward's cache.
	 * @param keysT [nKv, dHead, n] (batch 1) rotated keys
	 * @param values [nKv, n, dHead]
	 */
	void load(int layer, float[] keysT, float[] values, int n) {
		int dh = this.c.dHead();
		int kvDim = this.c.nKvHeads() * dh;
		for (int row = 0; row < kvDim; row++) {
			System.arraycopy(keysT, row * n, this.keyCacheT[layer], row * this.seqStride, n);
		}
		for (int kv = 0; kv < this.c.nKvHeads(); kv++) {
			for (int t = 0; t < n; t++) {
				System.arraycopy(values, (kv * n + t) * dh, this.valueCache[layer], t * kvDim + kv * dh, dh);
			}
		}
	}
}
