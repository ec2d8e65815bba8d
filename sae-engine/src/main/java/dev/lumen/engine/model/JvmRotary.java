package dev.lumen.engine.model;

/**
 * Rotary position embedding for the plain-Java decoder, in the "rotate_half" layout {@link Rotary} uses: in each
 * head the first {@code rotaryDim} dims rotate as pairs (i, i + rotaryDim / 2), the rest (GPT-NeoX partial rotary)
 * pass through. Angles are computed once per position, not per layer and head.
 */
final class JvmRotary {

	private final int half; // rotaryDim / 2

	private final float[][] cos; // [maxSeqLen][rotaryDim / 2], times yarn's attention factor

	private final float[][] sin; // [maxSeqLen][rotaryDim / 2]

	/** @param rotary the batched path's rotary embedding, whose frequencies and factor this one shares */
	JvmRotary(ModelConfig c, Rotary rotary) {
		float[] invFreq = rotary.invFreq();
		float factor = rotary.attentionFactor();
		this.half = c.rotaryDim() / 2;
		this.cos = new float[c.maxSeqLen()][this.half];
		this.sin = new float[c.maxSeqLen()][this.half];
		for (int p = 0; p < c.maxSeqLen(); p++) {
			for (int i = 0; i < this.half; i++) {
				float angle = p * invFreq[i];
				this.cos[p][i] = (float) Math.cos(angle) * factor;
				this.sin[p][i] = (float) Math.sin(angle) * factor;
			}
		}
	}

	/**
	 * Rotates {@code heads} consecutive heads of v in place.
	 * @param v [heads * dHead, ...]
	 * @param pos the position of this token
	 */
	void rotate(float[] v, int heads, int dHead, int pos) {
		float[] c = this.cos[pos];
		float[] s = this.sin[pos];
		for (int h = 0; h < heads; h++) {
			int a = h * dHead;
			for (int i = 0; i < this.half; i++) {
				float x1 = v[a + i];
				float x2 = v[a + i + this.half];
				v[a + i] = x1 * c[i] - x2 * s[i];
				v[a + i + this.half] = x2 * c[i] + x1 * s[i];
			}
		}
	}
}
