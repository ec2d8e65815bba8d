package dev.lumen.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.norm.LayerNorm;

/** RMSNorm and LayerNorm over the last axis. Gemma's (1 + w) is folded into w when weights load. */
final class Norm {

	private Norm() {
	}

	/**
	 * Normalises the last axis.
	 * @param x [..., d]
	 * @param w [d]
	 * @param b [d] or null (LayerNorm only)
	 * @return [..., d], same dtype as x
	 */
	static NDArray apply(NDArray x, NDArray w, NDArray b, Architecture.NormKind kind, float eps) {
		if (kind == Architecture.NormKind.LAYER) {
			return LayerNorm.layerNorm(x, new Shape(x.getShape().getShape()[x.getShape().dimension() - 1]), w, b, eps)
				.singletonOrThrow();
		}
		// RMSNorm in float32 even for narrow dtypes, as transformers does
		NDArray xf = x.getDataType() == DataType.FLOAT32 ? x : x.toType(DataType.FLOAT32, false);
		NDArray normed = xf.div(xf.square().mean(new int[] { -1 }, true).add(eps).sqrt());
		if (normed.getDataType() != x.getDataType()) {
			normed = normed.toType(x.getDataType(), false);
		}
		return normed.mul(w);
	}
}
