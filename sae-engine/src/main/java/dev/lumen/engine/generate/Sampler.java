package dev.lumen.engine.generate;

import java.util.Arrays;
import java.util.Random;

/**
 * Picks the next token from logits: argmax at temperature 0, else softmax(logits / temperature)
 * restricted to the top-k and then the top-p nucleus, sampled with a seeded random source.
 */
final class Sampler {

	private final GenerationOptions options;

	private final Random random;

	Sampler(GenerationOptions options) {
		this.options = options;
		this.random = new Random(options.seed());
	}

	/** @param logits [vocab] (not modified) */
	int sample(float[] logits) {
		if (this.options.temperature() == 0f) {
			return argMax(logits);
		}
		int n = logits.length;
		Integer[] order = new Integer[n];
		for (int i = 0; i < n; i++) {
			order[i] = i;
		}
		// most likely first; ties by id so the order is deterministic
		Arrays.sort(order, (a, b) -> logits[a] != logits[b] ? Float.compare(logits[b], logits[a]) : Integer.compare(a, b));
		int keep = this.options.topK() > 0 ? Math.min(this.options.topK(), n) : n;
		double max = logits[order[0]];
		double[] probs = new double[keep];
		double sum = 0;
		for (int i = 0; i < keep; i++) {
			probs[i] = Math.exp((logits[order[i]] - max) / this.options.temperature());
			sum += probs[i];
		}
		// nucleus: the smallest prefix whose mass reaches topP
		double mass = 0;
		int cut = keep;
		for (int i = 0; i < keep; i++) {
			mass += probs[i] / sum;
			if (mass >= this.options.topP()) {
				cut = i + 1;
				break;
			}
		}
		double total = 0;
		for (int i = 0; i < cut; i++) {
			total += probs[i];
		}
		double r = this.random.nextDouble() * total;
		for (int i = 0; i < cut; i++) {
			r -= probs[i];
			if (r <= 0) {
				return order[i];
			}
		}
		return order[cut - 1];
	}

	static int argMax(float[] v) {
		int best = 0;
		for (int i = 1; i < v.length; i++) {
			if (v[i] > v[best]) {
				best = i;
			}
		}
		return best;
	}
}
