package dev.lumen.stats;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Co-occurrence: per feature, the tokens it shares with each partner; a token costs L0 × (L0 − 1) increments.
 * SAEs of at most {@link #DENSE_MAX} features count exactly in a d_sae × d_sae int table (64 MiB at the limit: an
 * array index per pair, several times faster than hashing); wider ones keep a capped sparse table per feature
 * ({@link PartnerCounts}), so nothing of size d_sae × d_sae exists. Ranked at the end by the Jaccard index
 * |A ∩ B| / |A ∪ B| of the active-token sets.
 */
final class CoOccurrenceCounts {

	/** Widest SAE counted in a dense table: 4096² ints = 64 MiB. */
	static final int DENSE_MAX = 4096;

	/**
	 * @return the widest SAE counted in a dense table now: {@link #DENSE_MAX}, unless the system property
	 *         {@code lumen.stats.dense-cooccurrence-max} lowers it (tests of the capped tables on a small SAE)
	 */
	static int denseMax() {
		return Math.min(DENSE_MAX, Integer.getInteger("lumen.stats.dense-cooccurrence-max", DENSE_MAX));
	}

	private final int cap;

	private final int dSae;

	private final int[] dense; // [dSae * dSae] or null

	private final PartnerCounts[] partners; // [dSae], null until the feature co-occurs with anything

	/** @param dense count in a d_sae × d_sae table (only for d_sae ≤ {@link #DENSE_MAX}) */
	CoOccurrenceCounts(int dSae, int cap, boolean dense) {
		this.cap = cap;
		this.dSae = dSae;
		this.dense = dense && dSae <= denseMax() ? new int[dSae * dSae] : null;
		this.partners = new PartnerCounts[this.dense == null ? dSae : 0];
	}

	/** Adds one counted token whose active features are {@code features[from..to)} (distinct). */
	void addToken(int[] features, int from, int to) {
		if (this.dense != null) {
			for (int i = from; i < to; i++) {
				int row = features[i] * this.dSae;
				for (int j = from; j < to; j++) {
					this.dense[row + features[j]]++; // the diagonal is never read
				}
			}
			return;
		}
		for (int i = from; i < to; i++) {
			int f = features[i];
			PartnerCounts p = this.partners[f];
			if (p == null && to - from > 1) {
				p = this.partners[f] = new PartnerCounts(this.cap);
			}
			for (int j = from; j < to; j++) {
				if (j != i) {
					p.add(features[j], 1);
				}
			}
		}
	}

	void merge(CoOccurrenceCounts o) {
		if (this.dense != null) {
			for (int i = 0; i < this.dense.length; i++) {
				this.dense[i] += o.dense[i];
			}
			return;
		}
		for (int f = 0; f < this.partners.length; f++) {
			PartnerCounts theirs = o.partners[f];
			if (theirs == null) {
				continue;
			}
			PartnerCounts mine = this.partners[f];
			if (mine == null) {
				mine = this.partners[f] = new PartnerCounts(this.cap);
			}
			for (int partner : theirs.partners()) {
				mine.add(partner, theirs.count(partner));
			}
			mine.approximate |= theirs.approximate;
		}
	}

	/**
	 * @param active active-token count of every feature, [dSae]
	 * @return the {@code n} partners with the highest Jaccard index, best first (ties: smaller index)
	 */
	CoOccurring top(int f, long[] active, int n) {
		if (this.dense != null) {
			return rank(f, active, n, this.dense, f * this.dSae);
		}
		return PartnerCounts.top(this.partners[f], f, active, n);
	}

	/** @return true when counted in the exact d_sae × d_sae table (no partner cap applies) */
	boolean dense() {
		return this.dense != null;
	}

	/**
	 * Feature f's row as its own partner table (feature blocks): a copy of the capped table, or, from the dense table,
	 * a table of capacity d_sae that holds every partner exactly.
	 * @return null when the feature co-occurred with nothing
	 */
	PartnerCounts row(int f) {
		if (this.dense == null) {
			return this.partners[f] == null ? null : this.partners[f].copy();
		}
		PartnerCounts p = null;
		for (int other = 0; other < this.dSae; other++) {
			int both = this.dense[f * this.dSae + other];
			if (other != f && both > 0) {
				if (p == null) {
					p = new PartnerCounts(this.dSae);
				}
				p.add(other, both);
			}
		}
		return p;
	}

	private CoOccurring rank(int f, long[] active, int n, int[] counts, int row) {
		JaccardRanking ranking = new JaccardRanking(f, active, n);
		for (int other = 0; other < this.dSae; other++) {
			int both = counts[row + other];
			if (other != f && both != 0) {
				ranking.offer(other, both);
			}
		}
		return ranking.result(false);
	}

	long bytes(int f) {
		if (this.dense != null) {
			return 4L * this.dSae;
		}
		return this.partners[f] == null ? 0 : this.partners[f].bytes();
	}

	void write(DataOutput out) throws IOException {
		if (this.dense != null) {
			for (int v : this.dense) {
				out.writeInt(v);
			}
			return;
		}
		for (PartnerCounts p : this.partners) {
			if (p == null) {
				out.writeInt(-1);
				continue;
			}
			int[] ps = p.partners();
			out.writeInt(ps.length);
			out.writeBoolean(p.approximate);
			for (int other : ps) {
				out.writeInt(other);
				out.writeInt(p.count(other));
			}
		}
	}

	void read(DataInput in) throws IOException {
		if (this.dense != null) {
			for (int i = 0; i < this.dense.length; i++) {
				this.dense[i] = in.readInt();
			}
			return;
		}
		for (int f = 0; f < this.partners.length; f++) {
			int n = in.readInt();
			if (n < 0) {
				this.partners[f] = null;
				continue;
			}
			PartnerCounts p = new PartnerCounts(this.cap);
			p.approximate = in.readBoolean();
			for (int i = 0; i < n; i++) {
				int other = in.readInt();
				p.add(other, in.readInt());
			}
			this.partners[f] = p;
		}
	}
}
