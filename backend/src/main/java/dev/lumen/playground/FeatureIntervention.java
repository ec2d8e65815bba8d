package dev.lumen.playground;

/**
 * One change to one SAE feature at the SAE's hook.
 * @param feature the feature's index in the SAE
 * @param mode clamp the activation, or add the decoder direction
 * @param value for {@link Mode#CLAMP} the activation to set (absolute, already scaled), for {@link Mode#ADD} α
 */
public record FeatureIntervention(int feature, Mode mode, float value) {

	/** How the feature is changed. */
	public enum Mode {
		/** set fᵢ to the value at every steered position (the paper's method) */
		CLAMP,
		/** add α·W_dec,i to the residual stream (steering-vector style) */
		ADD
	}

	public FeatureIntervention {
		if (feature < 0) {
			throw new IllegalArgumentException("feature index must be >= 0, got " + feature);
		}
		if (mode == null) {
			throw new IllegalArgumentException("mode is required");
		}
		if (!Float.isFinite(value)) {
			throw new IllegalArgumentException("value must be a finite number, got " + value);
		}
	}
}
