package dev.lumen.engine.sae.training;

/**
 * A progress report during training.
 *
 * @param step steps done
 * @param totalSteps steps planned
 * @param tokens tokens trained on so far
 * @param tokensPerSecond training throughput since the run (or resume) started, activation collection included
 * @param etaSeconds estimated seconds left
 * @param mse mean ‖x − x̂‖² per token of the last step, in the scaled space (E‖x‖² = dIn)
 * @param l0 mean active features per token of the last step
 * @param deadFraction fraction of features silent for the dead-feature window
 * @param loss total loss of the last step
 */
public record TrainingProgress(long step, long totalSteps, long tokens, double tokensPerSecond, double etaSeconds,
		double mse, double l0, double deadFraction, double loss) {

	/** @return a one-line summary such as a progress bar shows */
	public String summary() {
		return String.format("step %d/%d  %.0f tok/s  ETA %.0fs  MSE %.4f  L0 %.1f  dead %.1f%%", this.step,
				this.totalSteps, this.tokensPerSecond, this.etaSeconds, this.mse, this.l0, 100 * this.deadFraction);
	}
}
