package dev.lumen.engine.model;

import ai.djl.ndarray.NDArray;

/** One residual block: attention then MLP (sequential), or both from the same input (GPT-NeoX). */
final class TransformerBlock {

	private TransformerBlock() {
	}

	/**
	 * @param residPre [batch, pos, dModel]
	 * @return resid_post [batch, pos, dModel]
	 */
	static NDArray forward(NDArray residPre, LayerWeights w, int layer, ModelConfig c, Rotary rotary, RunState s) {
		Architecture arch = c.architecture();
		residPre = s.hooks.point(HookNames.residPre(layer), residPre);
		// attention rmsnorm / layernorm, then attention
		NDArray attnIn = norm(residPre, w.ln1W, w.ln1B, HookNames.ln1Scale(layer), HookNames.ln1Normalized(layer), c, s);
		NDArray attnOut = Attention.forward(attnIn, w, layer, c, rotary, s);
		if (arch.postNorms()) {
			attnOut = Norm.apply(attnOut, w.ln1PostW, null, arch.norm(), c.normEps(), s.dtype);
		}
		attnOut = s.hooks.point(HookNames.attnOut(layer), attnOut);
		NDArray mlpIn;
		NDArray residMid = null;
		if (c.parallelResidual()) {
			// GPT-NeoX use_parallel_residual: the MLP reads the block input too
			mlpIn = norm(residPre, w.ln2W, w.ln2B, HookNames.ln2Scale(layer), HookNames.ln2Normalized(layer), c, s);
		}
		else {
			// residual connection back into x  (= TransformerLens hook_resid_mid)
			residMid = s.hooks.point(HookNames.residMid(layer), residPre.add(attnOut));
			mlpIn = norm(residMid, w.ln2W, w.ln2B, HookNames.ln2Scale(layer), HookNames.ln2Normalized(layer), c, s);
		}
		NDArray mlpOut = Mlp.forward(mlpIn, w, layer, arch, s);
		if (arch.postNorms()) {
			mlpOut = Norm.apply(mlpOut, w.ln2PostW, null, arch.norm(), c.normEps(), s.dtype);
		}
		mlpOut = s.hooks.point(HookNames.mlpOut(layer), mlpOut);
		NDArray residPost = residMid != null ? residMid.add(mlpOut) : residPre.add(attnOut).add(mlpOut);
		return s.hooks.point(HookNames.residPost(layer), residPost);
	}

	/**
	 * A norm through its hook_scale and hook_normalized points (before gain and bias, as TransformerLens) when either is
	 * used; the fused kernel otherwise.
	 */
	static NDArray norm(NDArray x, NDArray w, NDArray b, String scaleHook, String hook, ModelConfig c, RunState s) {
		Architecture.NormKind kind = c.architecture().norm();
		if (s.hooks.touches(scaleHook)) {
			NDArray[] centredAndScale = Norm.centredAndScale(x, kind, c.normEps(), s.dtype);
			NDArray scale = s.hooks.point(scaleHook, centredAndScale[1]);
			NDArray normalized = centredAndScale[0].div(scale);
			if (s.dtype != normalized.getDataType()) {
				normalized = normalized.toType(s.dtype, false);
			}
			return Norm.affine(s.hooks.point(hook, normalized), w, b);
		}
		if (!s.hooks.touches(hook)) {
			return Norm.apply(x, w, b, kind, c.normEps(), s.dtype);
		}
		return Norm.affine(s.hooks.point(hook, Norm.normalize(x, kind, c.normEps(), s.dtype)), w, b);
	}
}
