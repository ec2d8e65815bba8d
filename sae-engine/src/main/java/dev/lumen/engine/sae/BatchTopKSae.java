package dev.lumen.engine.sae;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;

/**
 * BatchTopK SAE (Bussmann et al. 2024) at inference, by SAELens' rule: training keeps the k·batch largest
 * activations of a whole batch and tracks a global threshold, and SAELens saves the trained SAE for inference as a
 * JumpReLU with that threshold for every feature ({@code f_i = relu(pre_i) · [pre_i > threshold_i]}), so that a
 * token's features do not depend on the other tokens of its batch. Matryoshka BatchTopK SAEs infer the same way.
 * A SAELens training save's scalar {@code topk_threshold} is broadcast to every feature when the file loads.
 */
public final class BatchTopKSae extends AbstractSae {

	BatchTopKSae(SaeConfig config, SaeParameters parameters, Device device) {
		super(config, parameters, device);
	}

	@Override
	protected NDArray activate(NDArray pre) {
		NDArray open = pre.gt(this.threshold).toType(pre.getDataType(), false);
		return pre.maximum(0f).muli(open);
	}

	@Override
	protected void activateInPlace(float[] pre) {
		float[] threshold = hostThreshold();
		for (int i = 0; i < pre.length; i++) {
			pre[i] = pre[i] > threshold[i] ? Math.max(pre[i], 0f) : 0f;
		}
	}
}
