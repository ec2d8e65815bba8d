package dev.lumen.stats;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Zero-activation examples in O(active entries): one sample of candidate windows, the same for every feature
 * (the {@code capacity} windows with the smallest window-level sampling keys), each kept with its sparse
 * activations. A feature's zero samples are the first candidates, in key order, on whose counted positions it is
 * never active. Bottom-k by key merges exactly. A feature active in nearly every candidate gets fewer samples.
 */
final class ZeroWindows {

	/** A candidate window: its key, its activations, and the sorted features active on its counted positions. */
	record Candidate(double key, WindowActivations window, int[] countedActive) {
	}

	private final long seed;

	private final int capacity;

	private final List<Candidate> kept = new ArrayList<>(); // sorted by (key, window)

	ZeroWindows(long seed, int capacity) {
		this.seed = seed;
		this.capacity = capacity;
	}

	double key(int window) {
		return StateIO.sampleKey(this.seed, -1, window);
	}

	boolean wouldKeep(int window) {
		if (this.kept.size() < this.capacity) {
			return true;
		}
		Candidate last = this.kept.get(this.kept.size() - 1);
		return ExampleOrder.BY_KEY.better(0, key(window), window, 0, last.key(), last.window().window());
	}

	void offer(Candidate c) {
		int at = 0;
		while (at < this.kept.size() && ExampleOrder.BY_KEY.better(0, this.kept.get(at).key(),
				this.kept.get(at).window().window(), 0, c.key(), c.window().window())) {
			at++;
		}
		if (at < this.kept.size() && this.kept.get(at).window().window() == c.window().window()) {
			return; // the same window offered twice (a merge of overlapping partials)
		}
		this.kept.add(at, c);
		if (this.kept.size() > this.capacity) {
			this.kept.remove(this.kept.size() - 1);
		}
	}

	void merge(ZeroWindows o) {
		for (Candidate c : o.kept) {
			if (wouldKeep(c.window().window())) {
				offer(c);
			}
		}
	}

	/** @return up to {@code n} windows where feature f is zero on every counted position, with its values there */
	Example[] samples(int f, int n) {
		List<Example> out = new ArrayList<>();
		for (Candidate c : this.kept) {
			if (out.size() == n) {
				break;
			}
			if (Arrays.binarySearch(c.countedActive(), f) < 0) {
				out.add(uncounted(f, c));
			}
		}
		return out.toArray(Example[]::new);
	}

	/** The feature's values in the window: only uncounted positions (BOS) can be non-zero here. */
	private static Example uncounted(int f, Candidate c) {
		WindowActivations w = c.window();
		short[] positions = new short[0];
		float[] values = new float[0];
		for (int t = 0; t < w.length(); t++) {
			for (int k = w.offsets()[t]; k < w.offsets()[t + 1]; k++) {
				if (w.features()[k] == f) {
					positions = Arrays.copyOf(positions, positions.length + 1);
					values = Arrays.copyOf(values, values.length + 1);
					positions[positions.length - 1] = (short) t;
					values[values.length - 1] = w.values()[k];
				}
			}
		}
		return new Example(w.window(), 0f, 0, c.key(), positions, values);
	}

	List<Candidate> candidates() {
		return this.kept;
	}

	long bytes() {
		long b = 0;
		for (Candidate c : this.kept) {
			b += 64 + 4L * c.countedActive().length + 8L * c.window().entries() + 4L * c.window().offsets().length;
		}
		return b;
	}

	void write(DataOutput out) throws IOException {
		out.writeInt(this.kept.size());
		for (Candidate c : this.kept) {
			WindowActivations w = c.window();
			out.writeInt(w.window());
			out.writeInt(w.length());
			StateIO.writeInts(out, w.offsets());
			StateIO.writeInts(out, w.features());
			StateIO.writeFloats(out, w.values());
			StateIO.writeInts(out, c.countedActive());
		}
	}

	void read(DataInput in) throws IOException {
		this.kept.clear();
		int n = in.readInt();
		for (int i = 0; i < n; i++) {
			int window = in.readInt();
			int length = in.readInt();
			WindowActivations w = new WindowActivations(window, length, StateIO.readInts(in), StateIO.readInts(in),
					StateIO.readFloats(in));
			offer(new Candidate(key(window), w, StateIO.readInts(in)));
		}
	}
}
