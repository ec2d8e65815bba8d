package dev.lumen.stats;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Co-occurrence counted so that every way of running a corpus gives the same result, capped tables included. The
 * dense table (d_sae ≤ 4,096) is exact and order-free. Capped tables are not: once a feature passes the partner
 * cap, its Misra-Gries counts depend on the order of additions and merges. So capped tables are counted per
 * <em>segment</em> of {@link #SEGMENT_WINDOWS} consecutive windows (window id / 64), each segment into fresh tables
 * in window order, and the segments' tables are folded into the running tables in segment order. A local run does
 * exactly that as windows arrive in order; a distributed run counts each segment on its own (its shards are whole
 * segments) and folds the segments' partials in segment order; both give the same rows. Which features are
 * approximate does not depend on any order: those with more distinct partners than the cap over the corpus.
 */
final class SegmentedCoOccurrence {

	/** Windows per segment: shards of a distributed run must be whole segments. */
	public static final int SEGMENT_WINDOWS = 64;

	private final int dSae;

	private final int cap;

	private final CoOccurrenceCounts folded;

	private CoOccurrenceCounts current; // capped tables of the segment being counted, null when none

	private int segment = -1;

	SegmentedCoOccurrence(int dSae, int cap, boolean dense) {
		this.dSae = dSae;
		this.cap = cap;
		this.folded = new CoOccurrenceCounts(dSae, cap, dense);
	}

	boolean dense() {
		return this.folded.dense();
	}

	/** Called before a window's tokens: a window of another segment first folds the segment counted so far. */
	void startWindow(int window) {
		int s = window / SEGMENT_WINDOWS;
		if (!dense() && s != this.segment) {
			fold();
			this.segment = s;
		}
	}

	void addToken(int[] features, int from, int to) {
		if (dense()) {
			this.folded.addToken(features, from, to);
			return;
		}
		if (this.current == null) {
			this.current = new CoOccurrenceCounts(this.dSae, this.cap, false);
		}
		this.current.addToken(features, from, to);
	}

	private void fold() {
		if (this.current != null) {
			this.folded.merge(this.current);
			this.current = null;
		}
	}

	/**
	 * Folds {@code other} in after this: the canonical result when other holds the segments that follow this one's
	 * (a distributed run merges one segment's partial at a time, in segment order); exact counts merge in any order.
	 */
	void merge(SegmentedCoOccurrence other) {
		fold();
		this.folded.merge(other.folded);
		if (other.current != null) {
			this.folded.merge(other.current);
		}
		this.segment = -1;
	}

	CoOccurring top(int f, long[] active, int n) {
		fold();
		return this.folded.top(f, active, n);
	}

	PartnerCounts row(int f) {
		fold();
		return this.folded.row(f);
	}

	long bytes(int f) {
		return this.folded.bytes(f) + (this.current == null ? 0 : this.current.bytes(f));
	}

	void write(DataOutput out) throws IOException {
		this.folded.write(out);
		out.writeInt(this.segment);
		out.writeBoolean(this.current != null);
		if (this.current != null) {
			this.current.write(out);
		}
	}

	void read(DataInput in) throws IOException {
		this.folded.read(in);
		this.segment = in.readInt();
		this.current = null;
		if (in.readBoolean()) {
			this.current = new CoOccurrenceCounts(this.dSae, this.cap, false);
			this.current.read(in);
		}
	}
}
