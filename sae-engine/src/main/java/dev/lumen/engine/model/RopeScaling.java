package dev.lumen.engine.model;

/**
 * Llama 3 rotary frequency scaling ({@code rope_scaling.rope_type = "llama3"} in config.json).
 * @param factor divides the low frequencies
 * @param lowFreqFactor wavelengths above {@code originalMaxPositions / lowFreqFactor} are fully scaled
 * @param highFreqFactor wavelengths below {@code originalMaxPositions / highFreqFactor} are kept
 * @param originalMaxPositions the context length the model was pre-trained with
 */
public record RopeScaling(double factor, double lowFreqFactor, double highFreqFactor, int originalMaxPositions) {

	public RopeScaling {
		if (factor <= 0 || lowFreqFactor <= 0 || highFreqFactor <= lowFreqFactor || originalMaxPositions <= 0) {
			throw new IllegalArgumentException("invalid llama3 rope_scaling: factor=" + factor + ", low_freq_factor="
					+ lowFreqFactor + ", high_freq_factor=" + highFreqFactor + ", original_max_position_embeddings="
					+ originalMaxPositions);
		}
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
}
