package dev.lumen.stats;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * The {@code capacity} best examples seen under an {@link ExampleOrder}: a binary heap with the worst kept
 * example at the root. Because the order is total, the kept set is the same whatever the arrival order, and the
 * merge of two sets is the set a single run over both inputs keeps.
 */
final class BoundedExamples {

	private final ExampleOrder order;

	private final int capacity;

	private Example[] heap = new Example[2];

	private int size;

	BoundedExamples(ExampleOrder order, int capacity) {
		this.order = order;
		this.capacity = capacity;
	}

	/** @return true when an example ranked by these values would be kept now (checked before building one) */
	boolean wouldKeep(float max, double key, int window) {
		if (this.size < this.capacity) {
			return true;
		}
		Example worst = this.heap[0];
		return this.order.better(max, key, window, worst.maxActivation(), worst.key(), worst.window());
	}

	void offer(Example e) {
		if (!wouldKeep(e.maxActivation(), e.key(), e.window())) {
			return;
		}
		if (this.size < this.capacity) {
			if (this.size == this.heap.length) {
				this.heap = Arrays.copyOf(this.heap, Math.min(this.capacity, this.heap.length * 2));
			}
			this.heap[this.size] = e;
			siftUp(this.size++);
		}
		else {
			this.heap[0] = e;
			siftDown(0);
		}
	}

	void merge(BoundedExamples other) {
		for (int i = 0; i < other.size; i++) {
			offer(other.heap[i]);
		}
	}

	/** @return the kept examples, best first */
	Example[] sorted() {
		Example[] out = Arrays.copyOf(this.heap, this.size);
		Arrays.sort(out, this.order::compare);
		return out;
	}

	int size() {
		return this.size;
	}

	long bytes() {
		long b = 32 + 8L * this.heap.length;
		for (int i = 0; i < this.size; i++) {
			b += this.heap[i].bytes();
		}
		return b;
	}

	private boolean worse(int a, int b) {
		return this.order.better(this.heap[b], this.heap[a]);
	}

	private void siftUp(int i) {
		while (i > 0) {
			int parent = (i - 1) / 2;
			if (!worse(i, parent)) {
				return;
			}
			swap(i, parent);
			i = parent;
		}
	}

	private void siftDown(int i) {
		while (true) {
			int l = 2 * i + 1;
			int r = l + 1;
			int worst = i;
			if (l < this.size && worse(l, worst)) {
				worst = l;
			}
			if (r < this.size && worse(r, worst)) {
				worst = r;
			}
			if (worst == i) {
				return;
			}
			swap(i, worst);
			i = worst;
		}
	}

	private void swap(int a, int b) {
		Example t = this.heap[a];
		this.heap[a] = this.heap[b];
		this.heap[b] = t;
	}

	void write(DataOutput out) throws IOException {
		Example[] items = sorted();
		out.writeInt(items.length);
		for (Example e : items) {
			StateIO.writeExample(out, e);
		}
	}

	static BoundedExamples read(DataInput in, ExampleOrder order, int capacity) throws IOException {
		BoundedExamples b = new BoundedExamples(order, capacity);
		int n = in.readInt();
		for (int i = 0; i < n; i++) {
			b.offer(StateIO.readExample(in));
		}
		return b;
	}
}
