package dev.lumen.engine.sae.training;

/**
 * The constant s with E‖s·x‖² = dIn, estimated on a sample, and the sample's scaled mean (used to initialise b_dec).
 *
 * @param factor s
 * @param scaledMean mean of s·x, [dIn]
 */
public record InputScaling(double factor, float[] scaledMean) {

	/** Reads {@code batches} batches of {@code batch} vectors from the source and estimates s. */
	public static InputScaling estimate(ActivationSource source, int batches, int batch) {
		int dIn = source.dIn();
		double sumSq = 0;
		double[] sum = new double[dIn];
		long count = 0;
		for (int b = 0; b < batches; b++) {
			float[] x = source.nextBatch(batch);
			for (int t = 0; t < x.length / dIn; t++) {
				for (int i = 0; i < dIn; i++) {
					double v = x[t * dIn + i];
					sumSq += v * v;
					sum[i] += v;
				}
				count++;
			}
		}
		double meanSq = sumSq / count;
		if (!(meanSq > 0) || Double.isInfinite(meanSq)) {
			throw new IllegalArgumentException("cannot scale inputs: mean squared norm of the sample is " + meanSq);
		}
		double s = Math.sqrt(dIn / meanSq);
		float[] mean = new float[dIn];
		for (int i = 0; i < dIn; i++) {
			mean[i] = (float) (sum[i] / count * s);
		}
		return new InputScaling(s, mean);
	}
}
