package dev.lumen.extraction;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Counts, for every pair of features, the tokens on which both are active, from each token's list of active
 * features (L0 is small, so a token costs L0² increments). The exact counts take dSae² ints, so SAEs wider
 * than {@link #MAX_FEATURES} get no co-occurrence table; the feature page says so.
 */
final class CoOccurrence {

	/** 8192² ints are 256 MiB: the most this keeps in memory. */
	static final int MAX_FEATURES = 8192;

	private final int dSae;

	private final int[] counts; // [dSae * dSae], upper triangle used (i < j)

	CoOccurrence(int dSae) {
		this.dSae = dSae;
		this.counts = new int[Math.multiplyExact(dSae, dSae)];
	}

	static boolean fits(int dSae) {
		return dSae <= MAX_FEATURES;
	}

	/** Adds one token whose active features are {@code active[0..n)}, in increasing order. */
	void add(int[] active, int n) {
		for (int x = 0; x < n; x++) {
			int row = active[x] * this.dSae;
			for (int y = x + 1; y < n; y++) {
				this.counts[row + active[y]]++;
			}
		}
	}

	/** @return tokens on which both features are active */
	int count(int i, int j) {
		return i < j ? this.counts[i * this.dSae + j] : this.counts[j * this.dSae + i];
	}

	/**
	 * The {@code k} features with the highest Jaccard index |A ∩ B| / |A ∪ B| of active-token sets.
	 * @param activeTokens tokens each feature is active on, [dSae]
	 * @return indices (parallel to {@code scores}), best first; only features that ever co-occur
	 */
	Top top(int feature, long[] activeTokens, int k) {
		int[] idx = new int[k];
		float[] score = new float[k];
		int n = 0;
		for (int other = 0; other < this.dSae; other++) {
			if (other == feature) {
				continue;
			}
			int both = count(feature, other);
			if (both == 0) {
				continue;
			}
			float j = (float) (both / (double) (activeTokens[feature] + activeTokens[other] - both));
			// insertion into the sorted top-k (k is small); ties keep the smaller index first
			if (n < k || j > score[n - 1]) {
				int pos = n < k ? n++ : n - 1;
				while (pos > 0 && score[pos - 1] < j) {
					idx[pos] = idx[pos - 1];
					score[pos] = score[pos - 1];
					pos--;
				}
				idx[pos] = other;
				score[pos] = j;
			}
		}
		return new Top(java.util.Arrays.copyOf(idx, n), java.util.Arrays.copyOf(score, n));
	}

	record Top(int[] indices, float[] scores) {
	}

	void write(DataOutputStream out) throws IOException {
		Checkpoints.writeInts(out, this.counts);
	}

	void read(DataInputStream in) throws IOException {
		Checkpoints.readInts(in, this.counts);
	}
}
