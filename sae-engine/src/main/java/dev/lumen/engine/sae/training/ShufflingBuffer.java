package dev.lumen.engine.sae.training;

import java.util.Random;
import java.util.function.Supplier;

/**
 * Mixes activation rows from many contexts: rows from the producer are pooled until at least half the capacity
 * is held, and each row served is drawn uniformly from the pool (the last row fills the gap). With a capacity of
 * many contexts' worth of tokens, consecutive training rows rarely share a context. Seeded, hence deterministic.
 */
public final class ShufflingBuffer implements ActivationSource {

	private final int dIn;

	private final int capacity;

	private final Supplier<float[]> producer;

	private final Random random;

	private final float[] rows; // [capacity, dIn]

	private int size;

	private float[] pending = new float[0]; // produced rows that did not fit yet, [*, dIn]

	private int pendingOffset;

	/**
	 * @param dIn row width
	 * @param capacity rows held at most
	 * @param producer yields blocks of rows, row-major [*, dIn] (e.g. one forward pass over a batch of contexts)
	 * @param seed seeds the draw order
	 */
	public ShufflingBuffer(int dIn, int capacity, Supplier<float[]> producer, long seed) {
		if (capacity < 2) {
			throw new IllegalArgumentException("shuffle buffer capacity must be at least 2 rows, got " + capacity);
		}
		this.dIn = dIn;
		this.capacity = capacity;
		this.producer = producer;
		this.random = new Random(seed);
		this.rows = new float[capacity * dIn];
	}

	@Override
	public int dIn() {
		return this.dIn;
	}

	@Override
	public float[] nextBatch(int n) {
		float[] out = new float[n * this.dIn];
		for (int t = 0; t < n; t++) {
			if (this.size <= this.capacity / 2) {
				fill();
			}
			int r = this.random.nextInt(this.size);
			System.arraycopy(this.rows, r * this.dIn, out, t * this.dIn, this.dIn);
			this.size--;
			System.arraycopy(this.rows, this.size * this.dIn, this.rows, r * this.dIn, this.dIn);
		}
		return out;
	}

	private void fill() {
		while (this.size < this.capacity) {
			if (this.pendingOffset >= this.pending.length) {
				this.pending = this.producer.get();
				this.pendingOffset = 0;
				if (this.pending.length % this.dIn != 0 || this.pending.length == 0) {
					throw new IllegalStateException("activation producer returned " + this.pending.length
							+ " values, expected a non-empty multiple of dIn=" + this.dIn);
				}
			}
			int take = Math.min((this.pending.length - this.pendingOffset) / this.dIn, this.capacity - this.size);
			System.arraycopy(this.pending, this.pendingOffset, this.rows, this.size * this.dIn, take * this.dIn);
			this.size += take;
			this.pendingOffset += take * this.dIn;
		}
	}
}
