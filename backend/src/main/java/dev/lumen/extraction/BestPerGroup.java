package dev.lumen.extraction;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * For each of {@code groups} groups (a feature, or a feature's activation interval), keeps the {@code capacity}
 * best items seen, where an item is better when its score is higher, or equal with a smaller window id. That
 * total order makes the kept set independent of the order items arrive in, so a run resumed from a checkpoint
 * keeps exactly what an uninterrupted run keeps.
 *
 * <p>Each group is a binary min-heap (worst item at the root) over slot numbers; slots hold the item's data,
 * including optional per-token activations, so a swap moves one int instead of a row of floats.
 * Memory: groups × capacity × (positions + 4) values, independent of the corpus size.
 */
final class BestPerGroup {

	private final int groups;

	private final int capacity;

	private final int positions; // per-token activations kept per item, 0 for none

	private final int[] size; // [groups]

	private final int[] heap; // [groups * capacity] slot numbers, heap-ordered, worst first

	private final double[] score; // [groups * capacity] by slot

	private final int[] window; // [groups * capacity] by slot

	private final int[] maxPosition; // [groups * capacity] by slot

	private final float[] maxActivation; // [groups * capacity] by slot

	private final float[] tokens; // [groups * capacity * positions] by slot

	BestPerGroup(int groups, int capacity, int positions) {
		this.groups = groups;
		this.capacity = capacity;
		this.positions = positions;
		this.size = new int[groups];
		this.heap = new int[Math.multiplyExact(groups, capacity)];
		this.score = new double[this.heap.length];
		this.window = new int[this.heap.length];
		this.maxPosition = new int[this.heap.length];
		this.maxActivation = new float[this.heap.length];
		this.tokens = new float[Math.multiplyExact(this.heap.length, positions)];
	}

	/** @return true when an item with this score and window would be kept in {@code group} now */
	boolean wouldKeep(int group, double itemScore, int itemWindow) {
		if (this.size[group] < this.capacity) {
			return true;
		}
		int root = this.heap[group * this.capacity];
		return better(itemScore, itemWindow, this.score[root], this.window[root]);
	}

	/**
	 * Offers an item. Per-token activations are copied from {@code src[offset + t * stride]} for t in
	 * [0, length) (positions beyond length are zero); pass a null {@code src} when this keeps none.
	 */
	void offer(int group, double itemScore, int itemWindow, int itemMaxPosition, float itemMaxActivation, float[] src,
			int offset, int stride, int length) {
		if (!wouldKeep(group, itemScore, itemWindow)) {
			return;
		}
		int base = group * this.capacity;
		int slot;
		if (this.size[group] < this.capacity) {
			slot = base + this.size[group];
			this.heap[base + this.size[group]] = slot;
			this.size[group]++;
			fill(slot, itemScore, itemWindow, itemMaxPosition, itemMaxActivation, src, offset, stride, length);
			siftUp(base, this.size[group] - 1);
		}
		else {
			slot = this.heap[base];
			fill(slot, itemScore, itemWindow, itemMaxPosition, itemMaxActivation, src, offset, stride, length);
			siftDown(base, 0, this.size[group]);
		}
	}

	private void fill(int slot, double itemScore, int itemWindow, int itemMaxPosition, float itemMaxActivation,
			float[] src, int offset, int stride, int length) {
		this.score[slot] = itemScore;
		this.window[slot] = itemWindow;
		this.maxPosition[slot] = itemMaxPosition;
		this.maxActivation[slot] = itemMaxActivation;
		if (this.positions > 0) {
			int dst = slot * this.positions;
			for (int t = 0; t < this.positions; t++) {
				this.tokens[dst + t] = src != null && t < length ? src[offset + t * stride] : 0f;
			}
		}
	}

	private static boolean better(double s1, int w1, double s2, int w2) {
		return s1 > s2 || (s1 == s2 && w1 < w2);
	}

	private boolean worse(int slotA, int slotB) {
		return better(this.score[slotB], this.window[slotB], this.score[slotA], this.window[slotA]);
	}

	private void siftUp(int base, int i) {
		while (i > 0) {
			int parent = (i - 1) / 2;
			if (!worse(this.heap[base + i], this.heap[base + parent])) {
				return;
			}
			swap(base + i, base + parent);
			i = parent;
		}
	}

	private void siftDown(int base, int i, int n) {
		while (true) {
			int l = 2 * i + 1;
			int r = l + 1;
			int worst = i;
			if (l < n && worse(this.heap[base + l], this.heap[base + worst])) {
				worst = l;
			}
			if (r < n && worse(this.heap[base + r], this.heap[base + worst])) {
				worst = r;
			}
			if (worst == i) {
				return;
			}
			swap(base + i, base + worst);
			i = worst;
		}
	}

	private void swap(int a, int b) {
		int t = this.heap[a];
		this.heap[a] = this.heap[b];
		this.heap[b] = t;
	}

	/** One kept item. {@code activations} is a copy of its per-token values (empty when none are kept). */
	record Item(double score, int window, int maxPosition, float maxActivation, float[] activations) {
	}

	/** @return the kept items of a group, best first */
	Item[] items(int group) {
		int n = this.size[group];
		Item[] out = new Item[n];
		int base = group * this.capacity;
		for (int i = 0; i < n; i++) {
			int slot = this.heap[base + i];
			float[] acts = new float[this.positions];
			System.arraycopy(this.tokens, slot * this.positions, acts, 0, this.positions);
			out[i] = new Item(this.score[slot], this.window[slot], this.maxPosition[slot], this.maxActivation[slot], acts);
		}
		java.util.Arrays.sort(out, (a, b) -> better(a.score, a.window, b.score, b.window) ? -1
				: better(b.score, b.window, a.score, a.window) ? 1 : 0);
		return out;
	}

	int groups() {
		return this.groups;
	}

	void write(DataOutputStream out) throws IOException {
		out.writeInt(this.groups);
		out.writeInt(this.capacity);
		out.writeInt(this.positions);
		Checkpoints.writeInts(out, this.size);
		Checkpoints.writeInts(out, this.heap);
		Checkpoints.writeDoubles(out, this.score);
		Checkpoints.writeInts(out, this.window);
		Checkpoints.writeInts(out, this.maxPosition);
		Checkpoints.writeFloats(out, this.maxActivation);
		Checkpoints.writeFloats(out, this.tokens);
	}

	void read(DataInputStream in) throws IOException {
		Checkpoints.expect(in, "groups", this.groups);
		Checkpoints.expect(in, "capacity", this.capacity);
		Checkpoints.expect(in, "positions", this.positions);
		Checkpoints.readInts(in, this.size);
		Checkpoints.readInts(in, this.heap);
		Checkpoints.readDoubles(in, this.score);
		Checkpoints.readInts(in, this.window);
		Checkpoints.readInts(in, this.maxPosition);
		Checkpoints.readFloats(in, this.maxActivation);
		Checkpoints.readFloats(in, this.tokens);
	}
}
