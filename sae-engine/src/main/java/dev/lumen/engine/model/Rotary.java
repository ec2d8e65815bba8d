package dev.lumen.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Rotary position embedding in the Hugging Face "rotate_half" convention: the first {@code rotaryDim}
 * dims of each head are split in two halves that rotate as pairs (i, i + rotaryDim/2); the remaining
 * dims (GPT-NeoX partial rotary) pass through. llama2.c's interleaved pairs are converted to this layout
 * when its checkpoint is loaded (see {@link LlamaCheckpoint}).
 *
 * <p>Applied as {@code x * cos + (x @ rotateHalf) * sin} over whole heads, with cos = 1 and sin = 0 on
 * pass-through dims: four native calls and no slicing. {@code rotateHalf} has one +-1 per column, so
 * the product is exact.
 */
final class Rotary {

	private final int rotaryDim;

	private final int dHead;

	private final float[] invFreq; // [rotaryDim / 2], radians per position

	private final NDArray rotateHalf; // [dHead, dHead]: x @ rotateHalf = cat(-x2, x1, pass-through zeroed)

	Rotary(ModelConfig config, NDManager manager, DataType dtype) {
		this.rotaryDim = config.rotaryDim();
		this.dHead = config.dHead();
		int half = this.rotaryDim / 2;
		this.invFreq = new float[half];
		for (int i = 0; i < half; i++) {
			// float32 like transformers' inv_freq and run.c's freq, so angles round the same way
			float f = (float) (1.0 / Math.pow(config.ropeTheta(), (2 * i) / (double) this.rotaryDim));
			this.invFreq[i] = config.ropeScaling() == null ? f : (float) config.ropeScaling().scale(f);
		}
		float[] r = new float[this.dHead * this.dHead];
		for (int i = 0; i < half; i++) {
			r[(i + half) * this.dHead + i] = -1f; // out[i] = -x[i + half]
			r[i * this.dHead + i + half] = 1f; // out[i + half] = x[i]
		}
		NDArray rot = manager.create(r, new Shape(this.dHead, this.dHead));
		this.rotateHalf = dtype == DataType.FLOAT32 ? rot : rot.toType(dtype, false);
	}

	/** @return inverse frequencies, [rotaryDim / 2] radians per position (shared with {@link JvmDecoder}) */
	float[] invFreq() {
		return this.invFreq.clone();
	}

	/**
	 * Builds the cos and sin tables for the given positions.
	 * @param positions [batch][pos] position ids
	 * @return {cos, sin}, each [batch, 1, pos, dHead] (1 and 0 on pass-through dims), in {@code scope}
	 */
	NDArray[] tables(int[][] positions, NDManager scope) {
		int batch = positions.length;
		int pos = positions[0].length;
		int half = this.rotaryDim / 2;
		float[] cos = new float[batch * pos * this.dHead];
		float[] sin = new float[cos.length];
		int o = 0;
		for (int[] row : positions) {
			for (int p : row) {
				for (int d = 0; d < this.dHead; d++) {
					if (d < this.rotaryDim) {
						float angle = p * this.invFreq[d % half];
						cos[o] = (float) Math.cos(angle);
						sin[o] = (float) Math.sin(angle);
					}
					else {
						cos[o] = 1f;
					}
					o++;
				}
			}
		}
		Shape shape = new Shape(batch, 1, pos, this.dHead);
		return new NDArray[] { scope.create(cos, shape), scope.create(sin, shape) };
	}

	/**
	 * Rotates queries or keys.
	 * @param x [batch, heads, pos, dHead]
	 * @param cos [batch, 1, pos, dHead]
	 * @param sin [batch, 1, pos, dHead]
	 * @return [batch, heads, pos, dHead]
	 */
	NDArray apply(NDArray x, NDArray cos, NDArray sin) {
		return x.mul(cos).add(x.matMul(this.rotateHalf).mul(sin));
	}
}
