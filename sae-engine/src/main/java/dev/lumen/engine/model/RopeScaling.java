package dev.lumen.engine.model;

import java.util.List;

/**
 * Rotary frequency scaling as transformers defines it ({@code rope_type} in {@code rope_parameters}, or
 * {@code rope_scaling} in 4.x configs), for the types whose inverse frequencies do not depend on the sequence
 * length within the model's context: {@code linear}, {@code llama3}, {@code yarn}, and {@code dynamic} (which only
 * changes the frequencies past {@code max_position_embeddings}, where Lumen refuses to run).
 * @param type the rope_type
 * @param factor context extension factor (all types)
 * @param lowFreqFactor llama3: wavelengths above {@code originalMaxPositions / lowFreqFactor} are fully scaled
 * @param highFreqFactor llama3: wavelengths below {@code originalMaxPositions / highFreqFactor} are kept
 * @param originalMaxPositions llama3, yarn: the context length the model was pre-trained with
 * @param betaFast yarn: rotations above which dims extrapolate (default 32)
 * @param betaSlow yarn: rotations below which dims interpolate (default 1)
 * @param truncate yarn: round the correction range to whole dims (default true)
 * @param attentionFactor multiplier of cos and sin (yarn's mscale; 1 for the others)
 */
public record RopeScaling(String type, double factor, double lowFreqFactor, double highFreqFactor,
		int originalMaxPositions, double betaFast, double betaSlow, boolean truncate, double attentionFactor) {

	/** The rope types Lumen computes exactly (besides {@code default}). */
	public static final List<String> TYPES = List.of("linear", "dynamic", "llama3", "yarn");

	public RopeScaling {
		if (!TYPES.contains(type)) {
			throw new IllegalArgumentException("rope_type '" + type + "' is not supported; valid: default, " + String.join(", ", TYPES));
		}
		if (!(factor > 0)) {
			throw new IllegalArgumentException(type + " rope scaling needs factor > 0, got " + factor);
		}
		if (type.equals("llama3") && (lowFreqFactor <= 0 || highFreqFactor <= lowFreqFactor || originalMaxPositions <= 0)) {
			throw new IllegalArgumentException("invalid llama3 rope scaling: factor=" + factor + ", low_freq_factor="
					+ lowFreqFactor + ", high_freq_factor=" + highFreqFactor + ", original_max_position_embeddings="
					+ originalMaxPositions);
		}
		if (type.equals("yarn") && originalMaxPositions <= 0) {
			throw new IllegalArgumentException("yarn rope scaling needs original_max_position_embeddings > 0");
		}
	}

	/** A llama3 scaling (Llama 3.1/3.2). */
	public RopeScaling(double factor, double lowFreqFactor, double highFreqFactor, int originalMaxPositions) {
		this("llama3", factor, lowFreqFactor, highFreqFactor, originalMaxPositions, 0, 0, true, 1);
	}

	/** Applies the llama3 rule to one inverse frequency (radians per position). */
	public double scale(double invFreq) {
		double lowFreqWavelen = this.originalMaxPositions / this.lowFreqFactor;
		double highFreqWavelen = this.originalMaxPositions / this.highFreqFactor;
		double wavelen = 2 * Math.PI / invFreq;
		if (wavelen < highFreqWavelen) {
			return invFreq;
		}
		if (wavelen > lowFreqWavelen) {
			return invFreq / this.factor;
		}
		double smooth = (this.originalMaxPositions / wavelen - this.lowFreqFactor)
				/ (this.highFreqFactor - this.lowFreqFactor);
		return (1 - smooth) * invFreq / this.factor + smooth * invFreq;
	}

	/**
	 * The scaled inverse frequencies, as transformers' {@code ROPE_INIT_FUNCTIONS[type]} computes them (float32).
	 * @param base rope_theta
	 * @param dim rotary dims
	 * @return [dim / 2] radians per position
	 */
	float[] invFreq(double base, int dim) {
		int half = dim / 2;
		float[] out = new float[half];
		double low = 0;
		double high = 0;
		if (this.type.equals("yarn")) {
			double lo = correctionDim(this.betaFast, dim, base);
			double hi = correctionDim(this.betaSlow, dim, base);
			if (this.truncate) {
				lo = Math.floor(lo);
				hi = Math.ceil(hi);
			}
			low = Math.max(lo, 0);
			high = Math.min(hi, dim - 1);
			if (low == high) {
				high += 0.001; // as transformers: prevents a singular ramp
			}
		}
		for (int i = 0; i < half; i++) {
			float plain = (float) (1.0 / Math.pow(base, (2 * i) / (double) dim));
			out[i] = switch (this.type) {
				case "linear" -> (float) (plain / this.factor);
				case "llama3" -> (float) scale(plain);
				case "yarn" -> {
					// inv_freq = interpolation * (1 - extrapolation_factor) + extrapolation * extrapolation_factor
					double ramp = Math.min(Math.max((i - low) / (high - low), 0), 1);
					double extrapolation = 1 - ramp;
					yield (float) (plain / this.factor * (1 - extrapolation) + plain * extrapolation);
				}
				default -> plain; // dynamic: unchanged within max_position_embeddings
			};
		}
		return out;
	}

	private double correctionDim(double rotations, int dim, double base) {
		return (dim * Math.log(this.originalMaxPositions / (rotations * 2 * Math.PI))) / (2 * Math.log(base));
	}

	/** transformers' yarn default attention factor: 0.1 ln(factor) + 1 (1 for factor <= 1). */
	static double yarnMscale(double factor, double mscale) {
		return factor <= 1 ? 1.0 : 0.1 * mscale * Math.log(factor) + 1.0;
	}
}
