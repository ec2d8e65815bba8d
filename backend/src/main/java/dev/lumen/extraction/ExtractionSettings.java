package dev.lumen.extraction;

/**
 * What an extraction keeps per feature and how it reads the corpus. Part of the job's fingerprint: a run
 * resumes a checkpoint only when these and the inputs are the same.
 * @param contextSize tokens per window including BOS
 * @param batchSize windows per forward pass
 * @param maxTokens stop after this many corpus tokens (whole windows), 0 for the whole corpus
 * @param topK top-activating windows kept per feature
 * @param intervals equal parts of (0, max] sampled separately
 * @param perInterval windows sampled per interval
 * @param zeroSamples windows sampled where the feature is zero
 * @param histogramBins log-spaced bins of the activation histogram
 * @param logitTokens top and bottom tokens of the logit effects
 * @param coOccurring co-occurring features kept
 * @param seed seed of the sampling keys
 * @param checkpointWindows windows between checkpoints
 */
public record ExtractionSettings(int contextSize, int batchSize, long maxTokens, int topK, int intervals,
		int perInterval, int zeroSamples, int histogramBins, int logitTokens, int coOccurring, long seed,
		int checkpointWindows) {

	public ExtractionSettings {
		if (contextSize < 2) {
			throw new IllegalArgumentException("context size must be at least 2 (BOS and one token), got " + contextSize);
		}
		positive("batch size", batchSize);
		positive("top-k", topK);
		positive("intervals", intervals);
		positive("per-interval samples", perInterval);
		positive("zero samples", zeroSamples);
		positive("histogram bins", histogramBins);
		positive("logit tokens", logitTokens);
		positive("co-occurring features", coOccurring);
		positive("checkpoint windows", checkpointWindows);
		if (maxTokens < 0) {
			throw new IllegalArgumentException("--tokens must be 0 (whole corpus) or positive, got " + maxTokens);
		}
	}

	/** The defaults of the issue: 64-token windows, top 32, 10 intervals × 8 samples. */
	public static ExtractionSettings defaults() {
		return new ExtractionSettings(64, 32, 0, 32, 10, 8, 16, 40, 10, 10, 20240521L, 4096);
	}

	public ExtractionSettings withMaxTokens(long tokens) {
		return new ExtractionSettings(this.contextSize, this.batchSize, tokens, this.topK, this.intervals,
				this.perInterval, this.zeroSamples, this.histogramBins, this.logitTokens, this.coOccurring, this.seed,
				this.checkpointWindows);
	}

	public ExtractionSettings withCheckpointWindows(int windows) {
		return new ExtractionSettings(this.contextSize, this.batchSize, this.maxTokens, this.topK, this.intervals,
				this.perInterval, this.zeroSamples, this.histogramBins, this.logitTokens, this.coOccurring, this.seed,
				windows);
	}

	public ExtractionSettings withContext(int contextSize, int batchSize) {
		return new ExtractionSettings(contextSize, batchSize, this.maxTokens, this.topK, this.intervals,
				this.perInterval, this.zeroSamples, this.histogramBins, this.logitTokens, this.coOccurring, this.seed,
				this.checkpointWindows);
	}

	private static void positive(String what, long v) {
		if (v <= 0) {
			throw new IllegalArgumentException(what + " must be positive, got " + v);
		}
	}
}
