package dev.lumen.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * Rotary position embedding in the Hugging Face "rotate_half" convention: the first {@code rotaryDim}
 * dims of each head are split in two halves that rotate as pairs (i, i + rotaryDim/2). llama2.c's
 * interleaved pairs are converted to this layout when its checkpoint is loaded (see {@link LlamaCheckpoint}).
 */
final class Rotary {

	private final int rotaryDim;

	private final int dHead;

	private final float[] invFreq; // [rotaryDim / 2], radians per position

	Rotary(ModelConfig config) {
		this.rotaryDim = config.rotaryDim();
		this.dHead = config.dHead();
		int half = this.rotaryDim / 2;
		this.invFreq = new float[half];
		for (int i = 0; i < half; i++) {
			// float32 like transformers' inv_freq and run.c's freq, so angles round the same way
			float f = (float) (1.0 / Math.pow(config.ropeTheta(), (2 * i) / (double) this.rotaryDim));
			this.invFreq[i] = config.ropeScaling() == null ? f : (float) config.ropeScaling().scale(f);
		}
	}

	/**
	 * Builds the cos and sin tables for the given positions.
	 * @param positions [batch][pos] position ids
	 * @return {cos, sin}, each [batch, 1, pos, rotaryDim], in {@code scope}
	 */
	NDArray[] tables(int[][] positions, NDManager scope) {
		int batch = positions.length;
		int pos = positions[0].length;
		int half = this.rotaryDim / 2;
		float[] cos = new float[batch * pos * this.rotaryDim];
		float[] sin = new float[cos.length];
		int o = 0;
		for (int[] row : positions) {
			for (int p : row) {
				for (int d = 0; d < this.rotaryDim; d++) {
					float angle = p * this.invFreq[d % half];
					cos[o] = (float) Math.cos(angle);
					sin[o] = (float) Math.sin(angle);
					o++;
				}
			}
		}
		Shape shape = new Shape(batch, 1, pos, this.rotaryDim);
		return new NDArray[] { scope.create(cos, shape), scope.create(sin, shape) };
	}

	/**
	 * Rotates queries or keys.
	 * @param x [batch, heads, pos, dHead]
	 * @param cos [batch, 1, pos, rotaryDim]
	 * @param sin [batch, 1, pos, rotaryDim]
	 * @return [batch, heads, pos, dHead]
	 */
	NDArray apply(NDArray x, NDArray cos, NDArray sin) {
		int half = this.rotaryDim / 2;
		NDArray rot = this.rotaryDim == this.dHead ? x : x.get(new NDIndex("..., :" + this.rotaryDim));
		NDArray x1 = rot.get(new NDIndex("..., :" + half));
		NDArray x2 = rot.get(new NDIndex("..., " + half + ":"));
		// rotate_half(x) = cat(-x2, x1)
		NDArray rotated = rot.mul(cos).add(x2.neg().concat(x1, -1).mul(sin));
		if (this.rotaryDim == this.dHead) {
			return rotated;
		}
		return rotated.concat(x.get(new NDIndex("..., " + this.rotaryDim + ":")), -1);
	}
}
