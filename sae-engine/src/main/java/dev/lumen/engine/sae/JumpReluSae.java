package dev.lumen.engine.sae;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;

/** JumpReLU (Rajamanoharan et al. 2024): {@code f_i = relu(pre_i) · [pre_i > threshold_i]}, as SAELens computes it. */
public final class JumpReluSae extends AbstractSae {

	JumpReluSae(SaeConfig config, SaeParameters parameters, Device device) {
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
