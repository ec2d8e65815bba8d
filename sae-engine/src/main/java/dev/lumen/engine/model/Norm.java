package dev.lumen.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
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
	 * @param dtype the compute dtype (x's dtype)
	 * @return [..., d], same dtype as x
	 */
	static NDArray apply(NDArray x, NDArray w, NDArray b, Architecture.NormKind kind, float eps, DataType dtype) {
		if (kind == Architecture.NormKind.LAYER) {
			// w's shape is cached on the Java side; asking x would be another native call
			return LayerNorm.layerNorm(x, w.getShape(), w, b, eps).singletonOrThrow();
		}
		// RMSNorm in float32 even for narrow dtypes, as transformers does
		NDArray xf = dtype == DataType.FLOAT32 ? x : x.toType(DataType.FLOAT32, false);
		NDArray normed = xf.div(xf.square().mean(new int[] { -1 }, true).add(eps).sqrt());
		if (dtype != DataType.FLOAT32) {
			normed = normed.toType(dtype, false);
		}
		return normed.mul(w);
	}

	/**
	 * Normalises without the gain and bias: TransformerLens' {@code hook_normalized} (LayerNormPre / RMSNormPre, i.e.
	 * after {@code fold_ln}).
	 * @param x [..., d]
	 * @return [..., d], same dtype as x
	 */
	static NDArray normalize(NDArray x, Architecture.NormKind kind, float eps, DataType dtype) {
		NDArray xf = dtype == DataType.FLOAT32 ? x : x.toType(DataType.FLOAT32, false);
		if (kind == Architecture.NormKind.LAYER) {
			xf = xf.sub(xf.mean(new int[] { -1 }, true));
		}
		NDArray normed = xf.div(xf.square().mean(new int[] { -1 }, true).add(eps).sqrt());
		return dtype == DataType.FLOAT32 ? normed : normed.toType(dtype, false);
	}

	/**
	 * The two halves of {@link #normalize}: TransformerLens' {@code hook_scale} is taken between them.
	 * @param x [..., d]
	 * @return {x centred (LayerNorm) or as is (RMSNorm), in float32; √(mean(x²) + eps) [..., 1], float32}
	 */
	static NDArray[] centredAndScale(NDArray x, Architecture.NormKind kind, float eps, DataType dtype) {
		NDArray xf = dtype == DataType.FLOAT32 ? x : x.toType(DataType.FLOAT32, false);
		if (kind == Architecture.NormKind.LAYER) {
			xf = xf.sub(xf.mean(new int[] { -1 }, true));
		}
		return new NDArray[] { xf, xf.square().mean(new int[] { -1 }, true).add(eps).sqrt() };
	}

	/** @return {@code x * w + b} (b may be null): the gain and bias {@link #normalize} leaves out */
	static NDArray affine(NDArray x, NDArray w, NDArray b) {
		NDArray y = x.mul(w);
		return b == null ? y : y.add(b);
	}
}
