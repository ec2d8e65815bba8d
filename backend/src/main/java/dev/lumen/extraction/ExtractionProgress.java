package dev.lumen.extraction;

/**
 * Where an extraction is.
 * @param jobId the job row
 * @param pass 1 (statistics and top examples) or 2 (histograms and samples); 3 while storing
 * @param windowsDone windows of this pass done
 * @param windows windows per pass
 * @param tokensPerPass corpus tokens per pass
 * @param tokensPerSecond throughput of this process since it started or resumed
 * @param resumedFromWindow the window this process started at in its first pass (0 unless resumed)
 */
public record ExtractionProgress(long jobId, int pass, int windowsDone, int windows, long tokensPerPass,
		double tokensPerSecond, int resumedFromWindow) {

	/** @return overall fraction done, 0..1 (both passes count equally) */
	public double fraction() {
		if (this.pass >= 3) {
			return 1.0;
		}
		return ((this.pass - 1) + this.windowsDone / (double) Math.max(1, this.windows)) / 2.0;
	}

	/** @return estimated seconds left, or -1 when unknown */
	public double etaSeconds() {
		if (this.tokensPerSecond <= 0 || this.pass >= 3) {
			return -1;
		}
		double tokensLeft = (1 - fraction()) * 2 * this.tokensPerPass;
		return tokensLeft / this.tokensPerSecond;
	}
}
