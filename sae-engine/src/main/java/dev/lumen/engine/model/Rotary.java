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

	private final float attentionFactor; // multiplies cos and sin (yarn), else 1

	private final int dynamicLimit; // dynamic rope: first position whose frequencies transformers would change, else 0

	private final NDArray rotateHalf; // [dHead, dHead]: x @ rotateHalf = cat(-x2, x1, pass-through zeroed)

	Rotary(ModelConfig config, NDManager manager, DataType dtype) {
		this.rotaryDim = config.rotaryDim();
		this.dHead = config.dHead();
		int half = this.rotaryDim / 2;
		this.invFreq = invFreq(config);
		this.attentionFactor = config.ropeScaling() == null ? 1f : (float) config.ropeScaling().attentionFactor();
		this.dynamicLimit = config.ropeScaling() != null && config.ropeScaling().type().equals("dynamic") ? config.maxSeqLen() : 0;
		float[] r = new float[this.dHead * this.dHead];
		for (int i = 0; i < half; i++) {
			r[(i + half) * this.dHead + i] = -1f; // out[i] = -x[i + half]
			r[i * this.dHead + i + half] = 1f; // out[i + half] = x[i]
		}
		NDArray rot = manager.create(r, new Shape(this.dHead, this.dHead));
		this.rotateHalf = dtype == DataType.FLOAT32 ? rot : rot.toType(dtype, false);
	}

	/** @return inverse frequencies in float32, as transformers computes them, so angles round the same way */
	static float[] invFreq(ModelConfig config) {
		int dim = config.rotaryDim();
		if (config.ropeScaling() != null) {
			return config.ropeScaling().invFreq(config.ropeTheta(), dim);
		}
		float[] f = new float[dim / 2];
		for (int i = 0; i < f.length; i++) {
			f[i] = (float) (1.0 / Math.pow(config.ropeTheta(), (2 * i) / (double) dim));
		}
		return f;
	}

	/** @return the factor cos and sin are multiplied by (yarn's attention factor, else 1) */
	float attentionFactor() {
		return this.attentionFactor;
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
				if (this.dynamicLimit > 0 && p >= this.dynamicLimit) {
					// transformers recomputes dynamic-NTK frequencies from the sequence length beyond this point
					throw new IllegalArgumentException("position " + p + " is past max_position_embeddings = " + this.dynamicLimit
							+ ", where dynamic rope scaling changes the frequencies; Lumen runs such models only within it");
				}
				for (int d = 0; d < this.dHead; d++) {
					if (d < this.rotaryDim) {
						float angle = p * this.invFreq[d % half];
						cos[o] = (float) Math.cos(angle) * this.attentionFactor;
						sin[o] = (float) Math.sin(angle) * this.attentionFactor;
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
