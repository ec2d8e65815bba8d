package dev.lumen.engine.sae.training;

/** Receives progress reports from {@link SaeTrainingRun}. */
@FunctionalInterface
public interface ProgressListener {

	/** Called after every {@code reportEvery} steps and after the last one. */
	void onProgress(TrainingProgress progress);

	/** @return a listener that ignores reports */
	static ProgressListener none() {
		return p -> {
		};
	}
}
