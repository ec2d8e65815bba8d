package dev.lumen.extraction;

import dev.lumen.stats.StatsSettings;

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
 * @param histogramBins histogram bins per octave of activation (a fixed logarithmic grid)
 * @param logitTokens top and bottom tokens of the logit effects
 * @param coOccurring co-occurring features kept
 * @param seed seed of the sampling keys
 * @param checkpointWindows windows between checkpoints
 * @param includeBos count position 0 (BOS) in statistics and example ranking (default: excluded)
 * @param memoryMb heap the per-feature state may take, in MiB; 0 for 75 % of the JVM's maximum heap
 */
public record ExtractionSettings(int contextSize, int batchSize, long maxTokens, int topK, int intervals,
		int perInterval, int zeroSamples, int histogramBins, int logitTokens, int coOccurring, long seed,
		int checkpointWindows, boolean includeBos, long memoryMb) {

	/** Default window length for real models (Neuronpedia's); the demo keeps 64. */
	public static final int DEFAULT_CONTEXT = 128;

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
		if (memoryMb < 0) {
			throw new IllegalArgumentException("--memory must be 0 (75 % of the heap) or positive, got " + memoryMb);
		}
	}

	/** 128-token windows, top 32, 10 intervals × 8 samples, 16 zero samples, 4 histogram bins per octave. */
	public static ExtractionSettings defaults() {
		return new ExtractionSettings(DEFAULT_CONTEXT, 32, 0, 32, 10, 8, 16, 4, 10, 10, 20240521L, 4096, false, 0);
	}

	/** @return the statistics module's settings for these */
	public StatsSettings statsSettings() {
		StatsSettings d = StatsSettings.defaults(this.contextSize);
		return new StatsSettings(this.contextSize, this.topK, this.intervals, this.perInterval, this.zeroSamples,
				Math.max(d.zeroCandidates(), 4 * this.zeroSamples), this.histogramBins, d.bandsPerOctave(), d.partnerCap(),
				this.seed, this.includeBos);
	}

	public ExtractionSettings withMaxTokens(long tokens) {
		return new ExtractionSettings(this.contextSize, this.batchSize, tokens, this.topK, this.intervals,
				this.perInterval, this.zeroSamples, this.histogramBins, this.logitTokens, this.coOccurring, this.seed,
				this.checkpointWindows, this.includeBos, this.memoryMb);
	}

	public ExtractionSettings withCheckpointWindows(int windows) {
		return new ExtractionSettings(this.contextSize, this.batchSize, this.maxTokens, this.topK, this.intervals,
				this.perInterval, this.zeroSamples, this.histogramBins, this.logitTokens, this.coOccurring, this.seed,
				windows, this.includeBos, this.memoryMb);
	}

	public ExtractionSettings withContext(int contextSize, int batchSize) {
		return new ExtractionSettings(contextSize, batchSize, this.maxTokens, this.topK, this.intervals,
				this.perInterval, this.zeroSamples, this.histogramBins, this.logitTokens, this.coOccurring, this.seed,
				this.checkpointWindows, this.includeBos, this.memoryMb);
	}

	public ExtractionSettings withBosAndMemory(boolean includeBos, long memoryMb) {
		return new ExtractionSettings(this.contextSize, this.batchSize, this.maxTokens, this.topK, this.intervals,
				this.perInterval, this.zeroSamples, this.histogramBins, this.logitTokens, this.coOccurring, this.seed,
				this.checkpointWindows, includeBos, memoryMb);
	}

	private static void positive(String what, long v) {
		if (v <= 0) {
			throw new IllegalArgumentException(what + " must be positive, got " + v);
		}
	}
}
