package dev.lumen.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Per-call state of a forward pass: the scope every temporary lives in, attention masks, rotary
 * tables, hooks and the optional KV cache. Built once per call, so blocks stay stateless.
 */
final class RunState {

	/** Large negative instead of -inf, so a fully padded row gives a uniform softmax, not NaN. */
	private static final float MASKED = -1e30f;

	final NDManager scope;

	final int batch;

	final int pos;

	final int[][] positions; // [batch][pos] position ids of the new tokens

	final NDArray maskBias; // [batch, 1, pos, keys], 0 or MASKED (causal + padding); null when nothing is masked

	final NDArray slidingMaskBias; // [batch, 1, pos, keys] with the sliding window; null when nothing is masked

	final NDArray cos; // [batch, 1, pos, rotaryDim] or null

	final NDArray sin; // [batch, 1, pos, rotaryDim] or null

	final HookRunner hooks;

	final DataType dtype; // compute dtype

	final int keys; // key positions attention sees (cache included)

	final KvCache cache; // null for a stateless pass

	RunState(ModelConfig config, NDManager scope, int[][] tokenMask, KvCache cache, HookRunner hooks, Rotary rotary,
			DataType dtype) {
		this.scope = scope;
		this.hooks = hooks;
		this.cache = cache;
		this.dtype = dtype;
		this.batch = tokenMask.length;
		this.pos = tokenMask[0].length;
		int start = cache == null ? 0 : cache.length();
		int[][] keyMask;
		if (cache == null) {
			keyMask = tokenMask;
		}
		else {
			cache.appendMask(tokenMask);
			keyMask = cache.keyMask();
		}
		this.keys = keyMask[0].length;
		this.positions = positions(keyMask, start, this.pos);
		this.maskBias = maskBias(keyMask, start, 0, dtype);
		this.slidingMaskBias = config.slidingWindow() > 0 ? maskBias(keyMask, start, config.slidingWindow(), dtype)
				: this.maskBias;
		if (rotary != null) {
			NDArray[] tables = rotary.tables(this.positions, scope);
			this.cos = cast(tables[0], dtype);
			this.sin = cast(tables[1], dtype);
		}
		else {
			this.cos = null;
			this.sin = null;
		}
	}

	/** Position id = number of real tokens before this one in its row, so left padding starts rows at 0. */
	private static int[][] positions(int[][] keyMask, int start, int pos) {
		int[][] out = new int[keyMask.length][pos];
		for (int b = 0; b < keyMask.length; b++) {
			int seen = 0;
			for (int j = 0; j < start + pos; j++) {
				if (j >= start) {
					out[b][j - start] = Math.max(0, seen);
				}
				seen += keyMask[b][j];
			}
		}
		return out;
	}

	/** Query i (absolute index start + i) may see key j when j <= start + i, the key is real, and j is in the window. */
	private NDArray maskBias(int[][] keyMask, int start, int window, DataType dtype) {
		int keys = keyMask[0].length;
		float[] bias = new float[this.batch * this.pos * keys];
		boolean any = false;
		int o = 0;
		for (int b = 0; b < this.batch; b++) {
			for (int i = 0; i < this.pos; i++) {
				int q = start + i;
				for (int j = 0; j < keys; j++) {
					boolean visible = j <= q && keyMask[b][j] != 0 && (window == 0 || q - j < window);
					bias[o++] = visible ? 0f : MASKED;
					any |= !visible;
				}
			}
		}
		if (!any) {
			return null; // e.g. one new token with a full cache: skip the add
		}
		NDArray mask = this.scope.create(bias, new Shape(this.batch, 1, this.pos, keys));
		if (dtype == DataType.FLOAT16) {
			mask = mask.maximum(-65504f);
		}
		return cast(mask, dtype);
	}

	private static NDArray cast(NDArray a, DataType dtype) {
		return a.getDataType() == dtype ? a : a.toType(dtype, false);
	}
}
