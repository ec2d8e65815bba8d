package dev.lumen.extraction;

/**
 * Where an extraction is.
 * @param jobId the job row
 * @param pass 1 while reading the corpus (the one pass), 2 computing logit effects, 3 storing
 * @param windowsDone windows of the corpus read
 * @param windows windows of the corpus
 * @param tokensPerPass corpus tokens
 * @param tokensPerSecond throughput of the corpus pass in this process (since it started or resumed), not counting
 *        checkpoints, registration, logit effects or the load
 * @param resumedFromWindow the window this process started at (0 unless resumed)
 */
public record ExtractionProgress(long jobId, int pass, int windowsDone, int windows, long tokensPerPass,
		double tokensPerSecond, int resumedFromWindow) {

	/** @return fraction of the corpus read, 0..1 */
	public double fraction() {
		if (this.pass >= 2) {
			return 1.0;
		}
		return this.windowsDone / (double) Math.max(1, this.windows);
	}

	/** @return estimated seconds left in the corpus pass, or -1 when unknown */
	public double etaSeconds() {
		if (this.tokensPerSecond <= 0 || this.pass >= 2) {
			return -1;
		}
		return (1 - fraction()) * this.tokensPerPass / this.tokensPerSecond;
	}
}
