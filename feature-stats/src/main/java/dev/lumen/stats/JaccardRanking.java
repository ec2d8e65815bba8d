package dev.lumen.stats;

import java.util.Arrays;

/**
 * The {@code n} best co-occurrence partners of one feature by Jaccard index, kept sorted while candidates are
 * offered (insertion into at most {@code n} slots: a feature has at most a few hundred partners, so this beats a
 * heap). Candidates with equal scores keep the order in which they were offered.
 */
final class JaccardRanking {

	private final int f;

	private final long[] active;

	private final int[] idx;

	private final float[] score;

	private int size;

	/**
	 * @param f the feature whose partners are ranked
	 * @param active active-token count of every feature, [dSae]
	 * @param n how many partners to keep
	 */
	JaccardRanking(int f, long[] active, int n) {
		this.f = f;
		this.active = active;
		this.idx = new int[n];
		this.score = new float[n];
	}

	/** Offers partner {@code other}, active together with f on {@code both} tokens. */
	void offer(int other, int both) {
		float j = (float) (both / (double) (this.active[this.f] + this.active[other] - both));
		int n = this.idx.length;
		if (this.size < n || j > this.score[this.size - 1]) {
			int pos = this.size < n ? this.size++ : this.size - 1;
			while (pos > 0 && this.score[pos - 1] < j) {
				this.idx[pos] = this.idx[pos - 1];
				this.score[pos] = this.score[pos - 1];
				pos--;
			}
			this.idx[pos] = other;
			this.score[pos] = j;
		}
	}

	CoOccurring result(boolean approximate) {
		return new CoOccurring(Arrays.copyOf(this.idx, this.size), Arrays.copyOf(this.score, this.size), approximate);
	}
}
