package dev.lumen.engine.sae.training;

import java.util.Random;

/**
 * Activations built from known sparse features: each vector is Σᵢ aᵢ·dᵢ over a random few of {@code nFeatures} fixed
 * unit directions dᵢ, with magnitudes aᵢ uniform in [0.5, 1.5). An SAE trained on it should recover the dᵢ;
 * the benchmark uses it to time training without a model.
 */
public final class SyntheticSparseSource implements ActivationSource {

	private final int dIn;

	private final float[] directions; // [nFeatures, dIn], unit rows

	private final int nFeatures;

	private final double activeProbability;

	private final Random random;

	/**
	 * @param dIn vector width
	 * @param nFeatures number of ground-truth directions
	 * @param meanActive expected number of active directions per vector
	 * @param seed fixes both the directions and the stream
	 */
	public SyntheticSparseSource(int dIn, int nFeatures, double meanActive, long seed) {
		this.dIn = dIn;
		this.nFeatures = nFeatures;
		this.activeProbability = meanActive / nFeatures;
		this.random = new Random(seed);
		this.directions = new float[nFeatures * dIn];
		for (int f = 0; f < nFeatures; f++) {
			double norm = 0;
			for (int i = 0; i < dIn; i++) {
				double g = this.random.nextGaussian();
				this.directions[f * dIn + i] = (float) g;
				norm += g * g;
			}
			for (int i = 0; i < dIn; i++) {
				this.directions[f * dIn + i] /= (float) Math.sqrt(norm);
			}
		}
	}

	@Override
	public int dIn() {
		return this.dIn;
	}

	/** @return the ground-truth unit directions, [nFeatures, dIn] */
	public float[] directions() {
		return this.directions.clone();
	}

	@Override
	public float[] nextBatch(int n) {
		float[] out = new float[n * this.dIn];
		for (int t = 0; t < n; t++) {
			for (int f = 0; f < this.nFeatures; f++) {
				if (this.random.nextDouble() < this.activeProbability) {
					float a = 0.5f + this.random.nextFloat();
					for (int i = 0; i < this.dIn; i++) {
						out[t * this.dIn + i] += a * this.directions[f * this.dIn + i];
					}
				}
			}
		}
		return out;
	}
}
