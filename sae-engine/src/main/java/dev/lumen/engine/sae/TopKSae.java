package dev.lumen.engine.sae;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * TopK SAE (Gao et al. 2024): per token, the {@code k} largest pre-activations pass through ReLU and all others
 * are zero, as SAELens' {@code topk} (exactly k candidates per token; ties broken by the backend's topk).
 */
public final class TopKSae extends AbstractSae {

	TopKSae(SaeConfig config, SaeParameters parameters, Device device) {
		super(config, parameters, device);
	}

	@Override
	protected NDArray activate(NDArray pre) {
		return topK(pre, config().k());
	}

	/** Keeps relu of each row's k largest entries of the last axis and zeroes the rest. */
	static NDArray topK(NDArray pre, int k) {
		NDList top = pre.topK(k, -1, true, false);
		NDArray values = top.get(0).maximum(0f);
		return pre.zerosLike().scatter(top.get(1), values, -1);
	}

	@Override
	protected void activateInPlace(float[] pre) {
		JvmSaeEncoder.keepTopK(pre, config().k());
	}
}
