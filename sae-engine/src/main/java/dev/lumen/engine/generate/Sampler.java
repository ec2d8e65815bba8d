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
		float temperature = this.options.temperature();
		int keep = this.options.topK() > 0 ? Math.min(this.options.topK(), n) : n;
		double topP = this.options.topP();
		// the most likely token is among the candidates whatever top-k and top-p keep
		double max = logits[argMax(logits)];
		if (keep == n && topP >= 1) {
			// plain temperature sampling: every token stays, so no ordering is needed
			double[] probs = new double[n];
			double total = 0;
			for (int i = 0; i < n; i++) {
				probs[i] = Math.exp((logits[i] - max) / temperature);
				total += probs[i];
			}
			return draw(probs, null, n, total);
		}
		// candidates, most likely first, ties by id: the top-k when set, else all tokens
		long[] keys = new long[n];
		for (int i = 0; i < n; i++) {
			keys[i] = key(logits[i], i);
		}
		int candidates = n;
		if (keep < n) {
			selectSmallest(keys, keep);
			candidates = keep;
		}
		double[] weights = new double[candidates]; // unnormalised probabilities, in keys' order
		double sum = 0;
		for (int i = 0; i < candidates; i++) {
			weights[i] = Math.exp((logits[(int) keys[i]] - max) / temperature);
			sum += weights[i];
		}
		if (topP < 1 && candidates > 1) {
			// a token whose share is below (1 - p) / (candidates - 1) cannot be in the nucleus: the tokens from it
			// on would hold less than 1 - p together (llama2.c's run.c uses the same bound), so sort only the rest
			double floor = (1 - topP) / (candidates - 1) * sum;
			int kept = 0;
			for (int i = 0; i < candidates; i++) {
				if (weights[i] >= floor) {
					keys[kept++] = keys[i];
				}
			}
			candidates = kept;
		}
		Arrays.sort(keys, 0, candidates);
		double[] probs = new double[candidates];
		int[] ids = new int[candidates];
		for (int i = 0; i < candidates; i++) {
			ids[i] = (int) keys[i];
			probs[i] = Math.exp((logits[ids[i]] - max) / temperature);
		}
		// nucleus: the smallest prefix whose mass (of all kept tokens) reaches topP
		double mass = 0;
		int cut = candidates;
		for (int i = 0; i < candidates; i++) {
			mass += probs[i] / sum;
			if (mass >= topP) {
				cut = i + 1;
				break;
			}
		}
		double total = 0;
		for (int i = 0; i < cut; i++) {
			total += probs[i];
		}
		return draw(probs, ids, cut, total);
	}

	private int draw(double[] probs, int[] ids, int count, double total) {
		double r = this.random.nextDouble() * total;
		for (int i = 0; i < count; i++) {
			r -= probs[i];
			if (r <= 0) {
				return ids == null ? i : ids[i];
			}
		}
		return ids == null ? count - 1 : ids[count - 1];
	}

	/** A long that sorts ascending as (logit descending, id ascending); the id is the low 32 bits. */
	static long key(float logit, int id) {
		int bits = Float.floatToIntBits(logit == 0f ? 0f : logit); // -0 and 0 tie, as equal logits
		int ordered = bits < 0 ? bits ^ 0x7fffffff : bits; // signed-int order = float order
		return ((long) ~ordered << 32) | (id & 0xffffffffL);
	}

	/** Moves the k smallest keys to keys[0, k) in some order (quickselect, expected linear time). */
	private static void selectSmallest(long[] keys, int k) {
		int lo = 0;
		int hi = keys.length - 1;
		while (lo < hi) {
			long pivot = keys[(lo + hi) >>> 1];
			int i = lo;
			int j = hi;
			while (i <= j) {
				while (keys[i] < pivot) {
					i++;
				}
				while (keys[j] > pivot) {
					j--;
				}
				if (i <= j) {
					long t = keys[i];
					keys[i] = keys[j];
					keys[j] = t;
					i++;
					j--;
				}
			}
			if (k - 1 <= j) {
				hi = j;
			}
			else if (k - 1 >= i) {
				lo = i;
			}
			else {
				return;
			}
		}
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
