package dev.lumen.engine.sae;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;

/** The ReLU SAE of "Towards Monosemanticity" and "Scaling Monosemanticity": {@code f = relu(pre)}. */
public final class StandardSae extends AbstractSae {

	StandardSae(SaeConfig config, SaeParameters parameters, Device device) {
		super(config, parameters, device);
	}

	@Override
	protected NDArray activate(NDArray pre) {
		return pre.maximum(0f);
	}

	@Override
	protected void activateInPlace(float[] pre) {
		for (int i = 0; i < pre.length; i++) {
			pre[i] = Math.max(pre[i], 0f);
		}
	}
}
