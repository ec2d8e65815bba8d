package dev.lumen.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;

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
		int nQk = c.nHeads() + c.nKvHeads();
		// one matmul for q, k and v, then heads first: [b, nHeads + 2 nKv, p, dHead]
		NDArray qkv = linear(x, w.wQkv, w.bQkv).reshape(b, p, nQk + c.nKvHeads(), c.dHead());
		qkv = touchesQkv(layer, s) ? throughQkvHooks(qkv, layer, c, s) : qkv.transpose(0, 2, 1, 3);
		NDList parts = qkv.split(new long[] { nQk }, 1);
		NDArray qk = parts.get(0); // [b, nHeads + nKv, p, dHead]
		NDArray v = parts.get(1); // [b, nKv, p, dHead]
		if (rotary != null) {
			qk = rotary.apply(qk, s.cos, s.sin);
		}
		NDList qAndK = qk.split(new long[] { c.nHeads() }, 1);
		NDArray q = qAndK.get(0); // [b, nHeads, p, dHead]
		NDArray k = qAndK.get(1); // [b, nKv, p, dHead]
		NDArray keysT = k.transpose(0, 1, 3, 2); // [b, nKv, dHead, p]
		if (s.cache != null) {
			NDArray[] full = s.cache.append(layer, keysT, v);
			keysT = full[0]; // [b, nKv, dHead, keys]
			v = full[1]; // [b, nKv, keys, dHead]
		}
		long keys = s.keys;
		// group query heads by their kv head (head h reads kv head h / g), so no kv copies are made
		NDArray scores = q.reshape(b, c.nKvHeads(), (long) g * p, c.dHead()).matMul(keysT)
			.reshape(b, c.nHeads(), p, keys); // [b, nHeads, p, keys], already scaled: attnScale is folded into wQ
		if (c.attnSoftcap() > 0) {
			scores = scores.div(c.attnSoftcap()).tanh().mul(c.attnSoftcap());
		}
		NDArray mask = c.isSlidingLayer(layer) ? s.slidingMaskBias : s.maskBias;
		NDArray pattern;
		if (s.hooks.touches(HookNames.attnScores(layer))) {
			// TransformerLens' scores: hidden keys at −∞ (not the large negative bias), rows of −∞ give a zero pattern
			if (mask != null) {
				scores = NDArrays.where(mask.lt(0f).broadcast(scores.getShape()), scores.getManager().full(scores.getShape(), Float.NEGATIVE_INFINITY, scores.getDataType()),
						scores);
			}
			scores = s.hooks.point(HookNames.attnScores(layer), scores);
			pattern = scores.softmax(-1);
			pattern = NDArrays.where(pattern.isNaN(), pattern.zerosLike(), pattern);
		}
		else {
			pattern = (mask != null ? scores.add(mask) : scores).softmax(-1);
		}
		pattern = s.hooks.point(HookNames.attnPattern(layer), pattern); // [b, nHeads, p, keys]
		NDArray z = pattern.reshape(b, c.nKvHeads(), (long) g * p, keys).matMul(v)
			.reshape(b, c.nHeads(), p, c.dHead())
			.transpose(0, 2, 1, 3); // [b, p, nHeads, dHead]
		z = s.hooks.point(HookNames.attnZ(layer), z);
		return linear(z.reshape(b, p, (long) c.nHeads() * c.dHead()), w.wO, w.bO);
	}

	private static boolean touchesQkv(int layer, RunState s) {
		return s.hooks.touches(HookNames.attnQ(layer)) || s.hooks.touches(HookNames.attnK(layer))
				|| s.hooks.touches(HookNames.attnV(layer));
	}

	/**
	 * Passes q, k and v through their hook points as TransformerLens shapes them ([b, p, heads, dHead], before rotary,
	 * q without the score scale Lumen folds into W_Q), then returns them heads first as the fast path does.
	 * @param qkv [b, p, nHeads + 2 nKv, dHead], q pre-scaled
	 * @return [b, nHeads + 2 nKv, p, dHead]
	 */
	private static NDArray throughQkvHooks(NDArray qkv, int layer, ModelConfig c, RunState s) {
		NDList parts = qkv.split(new long[] { c.nHeads(), c.nHeads() + c.nKvHeads() }, 2);
		NDArray q = parts.get(0);
		if (s.hooks.touches(HookNames.attnQ(layer))) {
			NDArray unscaled = q.div(c.attnScale());
			NDArray hooked = s.hooks.point(HookNames.attnQ(layer), unscaled);
			if (hooked != unscaled) {
				q = hooked.mul(c.attnScale()); // only a replacement costs the round trip (recording keeps q's bits)
			}
		}
		NDArray k = s.hooks.point(HookNames.attnK(layer), parts.get(1));
		NDArray v = s.hooks.point(HookNames.attnV(layer), parts.get(2));
		return NDArrays.concat(new NDList(q, k, v), 2).transpose(0, 2, 1, 3);
	}

	/** x [.., in] times w [in, out] plus b [out] (b may be null). */
	static NDArray linear(NDArray x, NDArray w, NDArray b) {
		NDArray y = x.matMul(w);
		return b == null ? y : y.add(b);
	}
}
