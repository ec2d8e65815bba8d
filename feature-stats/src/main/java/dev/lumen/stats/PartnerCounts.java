package dev.lumen.stats;

import java.util.Arrays;

/**
 * Counts of the tokens one feature shares with each partner feature: an open-addressing int → int table of at most
 * {@code cap} partners. A new partner arriving when the table is full triggers a batched Misra-Gries step (every
 * count drops by the median count and zeros leave), so counts then are lower bounds within (total / (cap / 2)) of
 * the truth and the table is marked approximate. Below the cap every count is exact.
 */
final class PartnerCounts {

	private static final int EMPTY = -1;

	private final int cap;

	private int[] keys;

	private int[] counts;

	private int size;

	boolean approximate;

	PartnerCounts(int cap) {
		this.cap = cap;
		this.keys = new int[8];
		this.counts = new int[8];
		Arrays.fill(this.keys, EMPTY);
	}

	void add(int partner, int n) {
		int slot = find(partner);
		if (this.keys[slot] == partner) {
			this.counts[slot] += n;
			return;
		}
		if (this.size == this.cap) {
			int d = misraGries(n);
			if (n > d) {
				add(partner, n - d); // the smallest entries reached zero and left: room for the rest
			}
			return;
		}
		if (2 * (this.size + 1) > this.keys.length) {
			rehash(this.keys.length * 2);
			slot = find(partner);
		}
		this.keys[slot] = partner;
		this.counts[slot] = n;
		this.size++;
	}

	/**
	 * The table is full and a new partner comes with n counts: subtract d = min(n, the median count) from every
	 * count, as in the batched Misra-Gries summary. At least half the entries reach zero and leave, so this O(cap)
	 * step runs once per cap / 2 new partners (amortised O(1)); each count stays within total / (cap / 2) of the
	 * truth.
	 * @return d
	 */
	private int misraGries(int n) {
		this.approximate = true;
		int[] live = new int[this.size];
		int k = 0;
		for (int i = 0; i < this.keys.length; i++) {
			if (this.keys[i] != EMPTY) {
				live[k++] = this.counts[i];
			}
		}
		Arrays.sort(live);
		int d = Math.min(n, live[(live.length - 1) / 2]);
		for (int i = 0; i < this.keys.length; i++) {
			if (this.keys[i] != EMPTY) {
				this.counts[i] -= d;
			}
		}
		rehash(this.keys.length); // drops the zeros
		return d;
	}

	private int find(int partner) {
		int mask = this.keys.length - 1;
		int i = (partner * 0x9E3779B1) >>> 7 & mask;
		while (this.keys[i] != EMPTY && this.keys[i] != partner) {
			i = (i + 1) & mask;
		}
		return i;
	}

	private void rehash(int capacity) {
		int[] oldKeys = this.keys;
		int[] oldCounts = this.counts;
		this.keys = new int[capacity];
		this.counts = new int[capacity];
		Arrays.fill(this.keys, EMPTY);
		this.size = 0;
		for (int i = 0; i < oldKeys.length; i++) {
			if (oldKeys[i] != EMPTY && oldCounts[i] > 0) {
				int slot = find(oldKeys[i]);
				this.keys[slot] = oldKeys[i];
				this.counts[slot] = oldCounts[i];
				this.size++;
			}
		}
	}

	/** @return partners, ascending */
	int[] partners() {
		int[] out = new int[this.size];
		int n = 0;
		for (int k : this.keys) {
			if (k != EMPTY) {
				out[n++] = k;
			}
		}
		Arrays.sort(out);
		return out;
	}

	void write(java.io.DataOutput out) throws java.io.IOException {
		int[] ps = partners();
		out.writeInt(ps.length);
		out.writeBoolean(this.approximate);
		for (int other : ps) {
			out.writeInt(other);
			out.writeInt(count(other));
		}
	}

	static PartnerCounts read(java.io.DataInput in, int cap) throws java.io.IOException {
		int n = in.readInt();
		PartnerCounts p = new PartnerCounts(cap);
		p.approximate = in.readBoolean();
		for (int i = 0; i < n; i++) {
			int other = in.readInt();
			p.add(other, in.readInt());
		}
		return p;
	}

	/** @return an independent table with the same partners, counts and flag */
	PartnerCounts copy() {
		PartnerCounts c = new PartnerCounts(this.cap);
		c.addAll(this);
		return c;
	}

	/** Adds every count of {@code other} (a partial over other tokens), partners in ascending order. */
	void addAll(PartnerCounts other) {
		for (int partner : other.partners()) {
			add(partner, other.count(partner));
		}
		this.approximate |= other.approximate;
	}

	/**
	 * The {@code n} partners of feature f with the highest Jaccard index, best first (ties: smaller index), flagged
	 * approximate when the table went past its cap (see {@link CoOccurrenceCounts} for when that happens).
	 * @param p the feature's table, null when it co-occurred with nothing
	 * @param active active-token count of every feature, [dSae]
	 */
	static CoOccurring top(PartnerCounts p, int f, long[] active, int n) {
		if (p == null) {
			return new CoOccurring(new int[0], new float[0], false);
		}
		JaccardRanking ranking = new JaccardRanking(f, active, n);
		for (int other : p.partners()) {
			ranking.offer(other, p.count(other));
		}
		return ranking.result(p.approximate);
	}

	int count(int partner) {
		int slot = find(partner);
		return this.keys[slot] == partner ? this.counts[slot] : 0;
	}

	int size() {
		return this.size;
	}

	long bytes() {
		return 48 + 8L * this.keys.length;
	}
}
