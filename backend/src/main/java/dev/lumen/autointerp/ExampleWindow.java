package dev.lumen.autointerp;

import java.util.List;

/**
 * One stored example of a feature, ready to read: the window's tokens as display strings and the feature's
 * activation on each of them. Position 0 is BOS; explainers ignore it (its activations say nothing about text).
 *
 * @param contextId the {@code context} row the window came from
 * @param kind {@code top}, {@code interval} or {@code zero}
 * @param intervalIndex 0..9 for interval samples, 0 otherwise
 * @param tokens display strings, BOS included // [pos]
 * @param activations the feature's activation per token // [pos]
 * @param maxActivation the largest activation in the window
 */
public record ExampleWindow(long contextId, String kind, int intervalIndex, List<String> tokens, float[] activations,
		float maxActivation) {

	public ExampleWindow {
		if (tokens.size() != activations.length) {
			throw new IllegalArgumentException("context " + contextId + " has " + tokens.size() + " tokens but "
					+ activations.length + " activations");
		}
		tokens = List.copyOf(tokens);
	}

	/** @return the position of the largest activation after BOS, or -1 when none is positive */
	public int peakPosition() {
		int best = -1;
		for (int t = 1; t < this.activations.length; t++) {
			if (this.activations[t] > 0 && (best < 0 || this.activations[t] > this.activations[best])) {
				best = t;
			}
		}
		return best;
	}
}
