package dev.lumen.engine.model;

/**
 * The element-wise operations of the plain-Java decoder, one position at a time: normalisations, MLP activations
 * and soft-capping, each computed as transformers computes it in float32 (the cheap transcendental functions in
 * double, so only float rounding differs).
 */
final class JvmOps {

	private static final double SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

	private static final double SQRT_HALF = Math.sqrt(0.5);

	private JvmOps() {
	}

	/**
	 * The normalisation without gain and bias (TransformerLens {@code hook_normalized}): x / rms(x) for RMSNorm, (x -
	 * mean) / std for LayerNorm.
	 * @param out [d], may be x
	 * @param x [d]
	 */
	static void normalize(float[] out, float[] x, Architecture.NormKind kind, float eps) {
		int d = x.length;
		float mean = 0f;
		if (kind == Architecture.NormKind.LAYER) {
			for (float v : x) {
				mean += v;
			}
			mean /= d;
		}
		float ss = 0f;
		for (float v : x) {
			float centred = v - mean;
			ss += centred * centred;
		}
		float inv = 1f / (float) Math.sqrt(ss / d + eps);
		for (int i = 0; i < d; i++) {
			out[i] = (x[i] - mean) * inv;
		}
	}

	/** x = x * w + b in place (b may be null): the gain and bias {@link #normalize} leaves out. */
	static void affine(float[] x, float[] w, float[] b) {
		for (int i = 0; i < x.length; i++) {
			x[i] = b == null ? x[i] * w[i] : x[i] * w[i] + b[i];
		}
	}

	/** a += b element-wise; nothing when b is null (an absent bias). */
	static void add(float[] a, float[] b) {
		if (b != null) {
			for (int i = 0; i < a.length; i++) {
				a[i] += b[i];
			}
		}
	}

	/** h[i] = act(h[i]) for i in [0, n): the plain MLP's non-linearity. */
	static void activate(float[] h, int n, Architecture.Activation activation) {
		for (int i = 0; i < n; i++) {
			h[i] = act(h[i], activation);
		}
	}

	/** h[i] = act(h[i]) * h[n + i] for i in [0, n): a gated MLP over its fused gate | up product. */
	static void gate(float[] h, int n, Architecture.Activation activation) {
		for (int i = 0; i < n; i++) {
			h[i] = act(h[i], activation) * h[n + i];
		}
	}

	private static float act(float x, Architecture.Activation activation) {
		return switch (activation) {
			case SILU -> x / (1f + (float) Math.exp(-x));
			// 0.5 x (1 + erf(x / sqrt 2)), torch's default gelu
			case GELU -> (float) (0.5 * x * (1 + erf(x * SQRT_HALF)));
			// 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))), "gelu_new" / "gelu_pytorch_tanh"
			case GELU_TANH -> (float) (0.5 * x * (1 + Math.tanh(SQRT_2_OVER_PI * (x + 0.044715 * x * x * x))));
		};
	}

	/**
	 * erf(x) with a fractional error below 1.2e-7 everywhere (Numerical Recipes' {@code erfcc}, a Chebyshev fit), well
	 * within float precision; Java has no erf of its own.
	 */
	static double erf(double x) {
		double z = Math.abs(x);
		double t = 1 / (1 + 0.5 * z);
		double erfc = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
				+ t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223
						+ t * 0.17087277)))))))));
		return x >= 0 ? 1 - erfc : erfc - 1;
	}

	/** a[i] = cap * tanh(a[i] / cap) for i in [from, to): Gemma 2's soft-capping of scores and logits. */
	static void softcap(float[] a, int from, int to, float cap) {
		for (int i = from; i < to; i++) {
			a[i] = (float) (Math.tanh(a[i] / cap) * cap);
		}
	}
}
