package dev.lumen.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Turns checkpoint tensors into engine weights in the model's manager: Linear weights [out, in] are
 * transposed to [in, out], and arrays are narrowed to the compute dtype (bf16/f16 on GPU only).
 */
final class WeightFactory {

	private final TensorSource source;

	private final NDManager manager;

	private final DataType dtype;

	WeightFactory(TensorSource source, NDManager manager, DataType dtype) {
		this.source = source;
		this.manager = manager;
		this.dtype = dtype;
	}

	TensorSource source() {
		return this.source;
	}

	/** @return a torch Linear weight stored [out, in], as [in, out] */
	NDArray linear(String name, int out, int in) {
		return create(transpose(this.source.floats(name, out, in), out, in), in, out);
	}

	/** @return a GPT-2 Conv1D weight, already stored [in, out] */
	NDArray conv1d(String name, int in, int out) {
		return create(this.source.floats(name, in, out), in, out);
	}

	/** @return a 1-d tensor of length n */
	NDArray vector(String name, int n) {
		return create(this.source.floats(name, n), n);
	}

	/** @return a 1-d tensor of length n, or null when the checkpoint has none */
	NDArray optionalVector(String name, int n) {
		return this.source.contains(name) ? vector(name, n) : null;
	}

	/** @return a Gemma norm weight w as (1 + w), the factor the norm actually applies */
	NDArray vectorPlusOne(String name, int n) {
		float[] w = this.source.floats(name, n);
		for (int i = 0; i < n; i++) {
			w[i] += 1f;
		}
		return create(w, n);
	}

	/** @return a 2-d tensor read as stored */
	NDArray matrix(String name, int rows, int cols) {
		return create(this.source.floats(name, rows, cols), rows, cols);
	}

	/** Creates an engine weight from row-major float32 data. */
	NDArray create(float[] data, long... shape) {
		NDArray a = this.manager.create(data, new Shape(shape));
		if (this.dtype != DataType.FLOAT32) {
			NDArray narrow = a.toType(this.dtype, false);
			a.close();
			a = narrow;
		}
		return a;
	}

	/**
	 * @return the [cols, rows] transpose of a row-major [rows, cols] matrix, in 32 x 32 tiles: a plain loop writes
	 * each cache line of the output once per row, which made the 50257 x 768 embedding a visible part of a cold start
	 */
	static float[] transpose(float[] w, int rows, int cols) {
		float[] t = new float[w.length];
		int tile = 32;
		for (int r0 = 0; r0 < rows; r0 += tile) {
			int r1 = Math.min(rows, r0 + tile);
			for (int c0 = 0; c0 < cols; c0 += tile) {
				int c1 = Math.min(cols, c0 + tile);
				for (int r = r0; r < r1; r++) {
					for (int c = c0; c < c1; c++) {
						t[c * rows + r] = w[r * cols + c];
					}
				}
			}
		}
		return t;
	}

	/** @return rows {@code from..from+count} of a row-major matrix with {@code cols} columns */
	static float[] rows(float[] w, int cols, int from, int count) {
		float[] out = new float[count * cols];
		System.arraycopy(w, from * cols, out, 0, out.length);
		return out;
	}

	/** @return columns {@code from..from+count} of a row-major matrix with {@code cols} columns */
	static float[] columns(float[] w, int cols, int from, int count) {
		int rows = w.length / cols;
		float[] out = new float[rows * count];
		for (int r = 0; r < rows; r++) {
			System.arraycopy(w, r * cols + from, out, r * count, count);
		}
		return out;
	}
}
