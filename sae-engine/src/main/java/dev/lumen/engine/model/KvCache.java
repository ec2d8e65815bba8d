package dev.lumen.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Arrays;

/**
 * Keys and values of the positions already processed, per layer, so generation feeds one new token per
 * step. Keys are kept transposed so attention multiplies them without touching the cached arrays.
 * Owns its own manager: close it when the generation ends. A step that throws may leave the cache
 * half-extended: discard the cache after a failed step.
 */
public final class KvCache implements AutoCloseable {

	private final NDManager manager;

	private final NDArray[] keysT; // per layer [batch, nKvHeads, dHead, length]

	private final NDArray[] values; // per layer [batch, nKvHeads, length, dHead]

	private int[][] keyMask; // [batch][length], 1 = real token, 0 = padding

	KvCache(NDManager parent, int nLayers, int batch) {
		this.manager = parent.newSubManager();
		this.keysT = new NDArray[nLayers];
		this.values = new NDArray[nLayers];
		this.keyMask = new int[batch][0];
	}

	/** @return positions held (padding included) */
	public int length() {
		return this.keyMask[0].length;
	}

	/** @return the batch size this cache was made for */
	public int batch() {
		return this.keyMask.length;
	}

	/** @return [batch][length] mask of the positions held */
	int[][] keyMask() {
		return this.keyMask;
	}

	/** Extends the key mask by the new positions' mask ([batch][pos]). */
	void appendMask(int[][] mask) {
		int[][] next = new int[this.keyMask.length][];
		for (int b = 0; b < next.length; b++) {
			next[b] = Arrays.copyOf(this.keyMask[b], this.keyMask[b].length + mask[b].length);
			System.arraycopy(mask[b], 0, next[b], this.keyMask[b].length, mask[b].length);
		}
		this.keyMask = next;
	}

	/**
	 * Appends one layer's new keys and values and returns the full ones.
	 * @param keyT [batch, nKvHeads, dHead, pos] (in the caller's scope; copied here)
	 * @param value [batch, nKvHeads, pos, dHead]
	 * @return {keysT [batch, nKvHeads, dHead, length], values [batch, nKvHeads, length, dHead]}, owned by the cache
	 */
	NDArray[] append(int layer, NDArray keyT, NDArray value) {
		this.keysT[layer] = grow(this.keysT[layer], keyT, 3);
		this.values[layer] = grow(this.values[layer], value, 2);
		return new NDArray[] { this.keysT[layer], this.values[layer] };
	}

	/** @return layer's keys, [batch, nKvHeads, dHead, length], owned by the cache (null before the first step) */
	NDArray keysT(int layer) {
		return this.keysT[layer];
	}

	/** @return layer's values, [batch, nKvHeads, length, dHead], owned by the cache (null before the first step) */
	NDArray values(int layer) {
		return this.values[layer];
	}

	private NDArray grow(NDArray held, NDArray added, int axis) {
		if (held == null) {
			NDArray copy = added.duplicate();
			copy.attach(this.manager);
			return copy;
		}
		NDArray next = held.concat(added, axis);
		held.close();
		return next;
	}

	@Override
	public void close() {
		this.manager.close();
	}
}
