package dev.lumen.engine.model;

import ai.djl.ndarray.NDArray;

/** Multi-head causal self-attention with grouped-query heads, rotary, soft-capping and sliding windows. */
final class Attention {

	private Attention() {
	}

	/**
	 * @param x normalised input [batch, pos, dModel]
	 * @return attn_out [batch, pos, dModel] (before Gemma's post-norm)
	 */
	static NDArray forward(NDArray x, LayerWeights w, int layer, ModelConfig c, Rotary rotary, RunState s) {
		int b = s.batch;
		int p = s.pos;
		int g = c.groupSize();
		NDArray q = linear(x, w.wQ, w.bQ).reshape(b, p, c.nHeads(), c.dHead()).transpose(0, 2, 1, 3); // [b, nHeads, p, dHead]
		NDArray k = linear(x, w.wK, w.bK).reshape(b, p, c.nKvHeads(), c.dHead()).transpose(0, 2, 1, 3); // [b, nKv, p, dHead]
		NDArray v = linear(x, w.wV, w.bV).reshape(b, p, c.nKvHeads(), c.dHead()).transpose(0, 2, 1, 3); // [b, nKv, p, dHead]
		if (rotary != null) {
			q = rotary.apply(q, s.cos, s.sin);
			k = rotary.apply(k, s.cos, s.sin);
		}
		NDArray keysT = k.transpose(0, 1, 3, 2); // [b, nKv, dHead, p]
		if (s.cache != null) {
			NDArray[] full = s.cache.append(layer, keysT, v);
			keysT = full[0]; // [b, nKv, dHead, keys]
			v = full[1]; // [b, nKv, keys, dHead]
		}
		long keys = keysT.getShape().get(3);
		// group query heads by their kv head (head h reads kv head h / g), so no kv copies are made
		NDArray scores = q.reshape(b, c.nKvHeads(), (long) g * p, c.dHead()).matMul(keysT)
			.reshape(b, c.nHeads(), p, keys)
			.mul(c.attnScale()); // [b, nHeads, p, keys]
		if (c.attnSoftcap() > 0) {
			scores = scores.div(c.attnSoftcap()).tanh().mul(c.attnSoftcap());
		}
		scores = scores.add(c.isSlidingLayer(layer) ? s.slidingMaskBias : s.maskBias);
		NDArray pattern = scores.softmax(-1);
		NDArray z = pattern.reshape(b, c.nKvHeads(), (long) g * p, keys).matMul(v)
			.reshape(b, c.nHeads(), p, c.dHead())
			.transpose(0, 2, 1, 3); // [b, p, nHeads, dHead]
		z = s.hooks.point(HookNames.attnZ(layer), z);
		return linear(z.reshape(b, p, (long) c.nHeads() * c.dHead()), w.wO, w.bO);
	}

	/** x [.., in] times w [in, out] plus b [out] (b may be null). */
	static NDArray linear(NDArray x, NDArray w, NDArray b) {
		NDArray y = x.matMul(w);
		return b == null ? y : y.add(b);
	}
}
