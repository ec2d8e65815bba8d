package dev.lumen.feature;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An SAE's feature activations on every token of a text.
 * @param tokenIds the text's tokens as the model saw them (BOS first when the model has one), shape [pos]
 * @param values feature activations, row-major, shape [pos, dSae]
 * @param truncated whether the text was cut to fit {@link ActivationProbe#MAX_TOKENS} or the character cap
 */
public record PromptActivations(int[] tokenIds, int dSae, float[] values, boolean truncated) {

	public PromptActivations {
		if (values.length != tokenIds.length * dSae) {
			throw new IllegalArgumentException("activations have " + values.length + " values, expected pos × dSae = "
					+ tokenIds.length + " × " + dSae);
		}
	}

	/** @return number of tokens */
	public int length() {
		return this.tokenIds.length;
	}

	/** @return one feature's activation on every token, shape [pos] */
	public float[] feature(int index) {
		if (index < 0 || index >= this.dSae) {
			throw new IllegalArgumentException("feature " + index + " is outside [0, " + this.dSae + ")");
		}
		float[] out = new float[this.tokenIds.length];
		for (int p = 0; p < out.length; p++) {
			out[p] = this.values[p * this.dSae + index];
		}
		return out;
	}

	/** @return each feature's largest activation over the tokens, shape [dSae] */
	public float[] maxPerFeature() {
		float[] out = new float[this.dSae];
		for (int p = 0; p < this.tokenIds.length; p++) {
			for (int f = 0; f < this.dSae; f++) {
				out[f] = Math.max(out[f], this.values[p * this.dSae + f]);
			}
		}
		return out;
	}

	/** @return the {@code k} most active features at one position, strongest first, active ones only */
	public List<FeatureActivation> top(int position, int k) {
		Integer[] order = new Integer[this.dSae];
		for (int f = 0; f < this.dSae; f++) {
			order[f] = f;
		}
		int base = position * this.dSae;
		Arrays.sort(order, (a, b) -> Float.compare(this.values[base + b], this.values[base + a]));
		List<FeatureActivation> out = new ArrayList<>();
		for (int i = 0; i < Math.min(k, this.dSae) && this.values[base + order[i]] > 0; i++) {
			out.add(new FeatureActivation(order[i], this.values[base + order[i]]));
		}
		return out;
	}

	/** A feature and its activation. */
	public record FeatureActivation(int index, float activation) {
	}
}
