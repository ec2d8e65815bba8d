package dev.lumen.engine.sae;

/**
 * An SAE's weights as host arrays, row-major, in the SAELens tensor layout.
 *
 * @param wEnc encoder, [dIn, dSae]
 * @param bEnc encoder bias, [dSae]
 * @param wDec decoder, [dSae, dIn]; row i is feature i's direction
 * @param bDec decoder bias, [dIn]
 * @param threshold JumpReLU / BatchTopK threshold, [dSae], or null when the architecture has none
 */
public record SaeParameters(float[] wEnc, float[] bEnc, float[] wDec, float[] bDec, float[] threshold) {

	/**
	 * Checks every array against the config's shapes and for non-finite values.
	 * @throws IllegalArgumentException naming the tensor, its expected and actual size, or the first bad value
	 */
	public void validate(SaeConfig cfg) {
		int dIn = cfg.dIn();
		int dSae = cfg.dSae();
		check("W_enc", this.wEnc, (long) dIn * dSae, "[" + dIn + ", " + dSae + "]");
		check("b_enc", this.bEnc, dSae, "[" + dSae + "]");
		check("W_dec", this.wDec, (long) dSae * dIn, "[" + dSae + ", " + dIn + "]");
		check("b_dec", this.bDec, dIn, "[" + dIn + "]");
		if (cfg.architecture().hasThreshold() || this.threshold != null) {
			check("threshold", this.threshold, dSae, "[" + dSae + "]");
		}
	}

	private static void check(String name, float[] values, long expected, String shape) {
		if (values == null) {
			throw new IllegalArgumentException("missing tensor '" + name + "', expected shape " + shape);
		}
		if (values.length != expected) {
			throw new IllegalArgumentException("tensor '" + name + "' has " + values.length + " elements, expected shape "
					+ shape + " = " + expected);
		}
		for (int i = 0; i < values.length; i++) {
			if (!Float.isFinite(values[i])) {
				throw new IllegalArgumentException("tensor '" + name + "' holds " + values[i] + " at flat index " + i
						+ "; weights must be finite");
			}
		}
	}

	/**
	 * Folds an input scaling constant into the weights: an SAE trained on {@code s·x} and rescaled back by
	 * {@code 1/s} is the same function of raw {@code x} as one with {@code W_enc·s}, {@code W_dec/s},
	 * {@code b_dec/s} (b_enc and the threshold act on pre-activations, which do not change).
	 * @return new arrays; this record is unchanged
	 */
	public SaeParameters foldInputScaling(double s) {
		return new SaeParameters(scaled(this.wEnc, s), this.bEnc.clone(), scaled(this.wDec, 1 / s),
				scaled(this.bDec, 1 / s), this.threshold == null ? null : this.threshold.clone());
	}

	private static float[] scaled(float[] a, double s) {
		float[] out = new float[a.length];
		for (int i = 0; i < a.length; i++) {
			out[i] = (float) (a[i] * s);
		}
		return out;
	}
}
