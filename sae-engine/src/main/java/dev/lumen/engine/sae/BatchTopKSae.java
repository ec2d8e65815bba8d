package dev.lumen.engine.sae;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;

/**
 * BatchTopK SAE (Bussmann et al. 2024) at inference. Training keeps the k·batch largest activations of a whole
 * batch; at inference Lumen keeps, per token, the k largest ReLU pre-activations (as {@link TopKSae}) and then
 * only those above the per-feature {@code threshold} that training estimated. Without a {@code threshold} tensor
 * the threshold is 0 and this equals TopK. (SAELens itself saves trained BatchTopK SAEs as JumpReLU with that
 * threshold; such files load as {@link JumpReluSae}.)
 */
public final class BatchTopKSae extends AbstractSae {

	BatchTopKSae(SaeConfig config, SaeParameters parameters, Device device) {
		super(config, parameters, device);
	}

	@Override
	protected NDArray activate(NDArray pre) {
		NDArray f = TopKSae.topK(pre, config().k());
		if (this.threshold == null) {
			return f;
		}
		return f.muli(pre.gt(this.threshold).toType(f.getDataType(), false));
	}

	@Override
	protected void activateInPlace(float[] pre) {
		float[] threshold = hostThreshold();
		float[] raw = threshold == null ? null : pre.clone();
		JvmSaeEncoder.keepTopK(pre, config().k());
		if (threshold != null) {
			for (int i = 0; i < pre.length; i++) {
				if (!(raw[i] > threshold[i])) {
					pre[i] = 0f;
				}
			}
		}
	}
}
