package dev.lumen.engine.sae.training;

import ai.djl.Device;
import dev.lumen.engine.sae.SaeConfig;
import dev.lumen.engine.sae.SaeFiles;
import dev.lumen.engine.sae.SaeParameters;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * Runs a whole training: estimates the input scaling constant on a sample, trains for the planned steps with
 * periodic checkpoints (or resumes from one), and returns the weights folded for raw inputs.
 */
public final class SaeTrainingRun {

	/**
	 * A finished run.
	 *
	 * @param config the trained SAE's config (scaling factor recorded, already folded into the parameters)
	 * @param parameters weights for raw inputs
	 * @param last the last step's output
	 * @param tokens tokens trained on in this process (excludes steps restored from a checkpoint)
	 * @param seconds wall time of this process's training loop
	 */
	public record Result(SaeConfig config, SaeParameters parameters, TrainStepOutput last, long tokens, double seconds) {

		/** Writes the SAE in SAELens format. */
		public void save(Path directory) throws IOException {
			SaeFiles.save(directory, this.config, this.parameters);
		}
	}

	private SaeTrainingRun() {
	}

	/**
	 * Trains an SAE on a source.
	 *
	 * @param hook dIn, hook name, model name and context of the activations
	 * @param options training settings
	 * @param source activations; a fresh source built exactly as for the interrupted run when resuming
	 * @param resume continue from the checkpoint in {@code options.checkpointDir()} when one exists
	 * @param device where training runs
	 * @param listener progress reports
	 * @param reportEvery steps between reports
	 */
	public static Result train(SaeConfig hook, TrainSaeOptions options, ActivationSource source, boolean resume,
			Device device, ProgressListener listener, int reportEvery) {
		if (source.dIn() != hook.dIn()) {
			throw new IllegalArgumentException("source yields d=" + source.dIn() + " but the hook config says dIn=" + hook.dIn());
		}
		int batch = options.batchSize();
		SaeTrainer trainer;
		long consumed;
		if (resume && options.checkpointDir() != null && TrainingCheckpoint.exists(options.checkpointDir())) {
			TrainingCheckpoint.Resumed r = TrainingCheckpoint.load(options.checkpointDir(), options, device);
			trainer = r.trainer();
			consumed = r.batchesConsumed();
			source.skip(consumed, batch);
		}
		else {
			int sampleBatches = Math.max(1, options.scalingSampleTokens() / batch);
			InputScaling scaling = InputScaling.estimate(source, sampleBatches, batch);
			trainer = SaeTrainer.create(hook, options, scaling.factor(), scaling.scaledMean(), device);
			consumed = sampleBatches;
		}
		try (trainer) {
			return loop(trainer, options, source, consumed, listener, reportEvery);
		}
	}

	private static Result loop(SaeTrainer trainer, TrainSaeOptions options, ActivationSource source, long consumed,
			ProgressListener listener, int reportEvery) {
		long total = options.totalSteps();
		long startStep = trainer.stepsTaken();
		long start = System.nanoTime();
		TrainStepOutput out = null;
		while (trainer.stepsTaken() < total) {
			out = trainer.step(source.nextBatch(options.batchSize()));
			consumed++;
			long s = trainer.stepsTaken();
			if (options.checkpointEvery() > 0 && s % options.checkpointEvery() == 0 && s < total) {
				try {
					TrainingCheckpoint.save(options.checkpointDir(), trainer, consumed);
				}
				catch (IOException ex) {
					throw new UncheckedIOException("cannot write checkpoint to " + options.checkpointDir(), ex);
				}
			}
			if (s % reportEvery == 0 || s == total) {
				double seconds = (System.nanoTime() - start) / 1e9;
				double tps = (s - startStep) * options.batchSize() / Math.max(seconds, 1e-9);
				listener.onProgress(new TrainingProgress(s, total, s * options.batchSize(), tps,
						(total - s) * options.batchSize() / Math.max(tps, 1e-9), out.mse(), out.l0(), out.deadFraction(),
						out.loss()));
			}
		}
		double seconds = (System.nanoTime() - start) / 1e9;
		return new Result(trainer.config(), trainer.parameters(), out, (trainer.stepsTaken() - startStep) * options.batchSize(),
				seconds);
	}
}
