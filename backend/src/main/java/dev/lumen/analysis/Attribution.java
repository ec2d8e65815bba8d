package dev.lumen.analysis;

/**
 * The result of one backward pass.
 * @param tokens prompt token ids
 * @param target token counted positively in the logit difference
 * @param contrast token counted negatively
 * @param logitDifference logit(target) − logit(contrast) at the last position (clean; the splice is exact)
 * @param lastLogits the last position's logits, [vocab]
 * @param activations feature activations, [pos][dSae] (row 0 zeros: BOS is not spliced)
 * @param gradients ∂D/∂f, [pos][dSae]
 */
public record Attribution(int[] tokens, int target, int contrast, float logitDifference, float[] lastLogits,
		float[][] activations, float[][] gradients) {

	/** @return activation × gradient at one position */
	public float attribution(int position, int feature) {
		return this.activations[position][feature] * this.gradients[position][feature];
	}

	/** @return Σ over positions of activation × gradient: the first-order estimate of the effect of the feature */
	public float summedAttribution(int feature) {
		float sum = 0f;
		for (int p = 0; p < this.tokens.length; p++) {
			sum += attribution(p, feature);
		}
		return sum;
	}

	/** @return whether the feature is active at some position */
	public boolean active(int feature) {
		for (float[] row : this.activations) {
			if (row[feature] != 0f) {
				return true;
			}
		}
		return false;
	}
}
