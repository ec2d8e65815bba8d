package dev.lumen.engine.sae.training;

import dev.lumen.engine.sae.SaeArchitecture;
import java.nio.file.Path;

/**
 * Settings of one SAE training run. Defaults follow Anthropic's "Scaling Monosemanticity" recipe (April 2024
 * update): inputs scaled so that E‖x‖² = dIn, loss ‖x − x̂‖² + λ Σᵢ fᵢ‖W_dec,i‖₂, Adam(0.9, 0.999), λ warm-up over
 * the first 5 % of steps, linear learning-rate decay to 0 over the last 20 %, gradient-norm clipping at 1, decoder
 * rows initialised as random directions of norm 0.1 and W_enc = W_decᵀ.
 *
 * @param architecture {@link SaeArchitecture#STANDARD} (ReLU + L1) or {@link SaeArchitecture#TOPK} (no penalty)
 * @param dSae number of features
 * @param k active features per token for TopK
 * @param l1Coefficient λ of the sparsity penalty (ignored for TopK)
 * @param learningRate peak Adam learning rate
 * @param batchSize tokens per step
 * @param totalTokens tokens to train on (rounded down to whole steps)
 * @param seed seeds initialisation
 * @param lambdaWarmupFraction fraction of steps over which λ rises linearly from 0
 * @param lrDecayFraction final fraction of steps over which the learning rate falls linearly to 0
 * @param gradClipNorm maximum global gradient norm
 * @param decoderInitNorm norm of each initial decoder row
 * @param deadFeatureWindow a feature that has not fired in this many tokens counts as dead
 * @param scalingSampleTokens tokens read before training to estimate the input scaling constant and b_dec
 * @param checkpointEvery steps between checkpoints; 0 disables them
 * @param checkpointDir where checkpoints go (required when checkpointEvery > 0)
 */
public record TrainSaeOptions(SaeArchitecture architecture, int dSae, int k, double l1Coefficient, double learningRate,
		int batchSize, long totalTokens, long seed, double lambdaWarmupFraction, double lrDecayFraction,
		double gradClipNorm, double decoderInitNorm, long deadFeatureWindow, int scalingSampleTokens,
		int checkpointEvery, Path checkpointDir) {

	/** Checks ranges; each message names the option. */
	public TrainSaeOptions {
		if (architecture != SaeArchitecture.STANDARD && architecture != SaeArchitecture.TOPK) {
			throw new IllegalArgumentException("training supports architectures standard and topk, not " + architecture.id());
		}
		require(dSae > 0, "dSae must be positive, got " + dSae);
		require(architecture != SaeArchitecture.TOPK || (k > 0 && k <= dSae), "topk needs 1 <= k <= dSae, got k=" + k);
		require(l1Coefficient >= 0, "l1 coefficient must be >= 0, got " + l1Coefficient);
		require(learningRate > 0, "learning rate must be positive, got " + learningRate);
		require(batchSize > 0, "batch size must be positive, got " + batchSize);
		require(totalTokens >= batchSize, "total tokens (" + totalTokens + ") must cover at least one batch of " + batchSize);
		require(lambdaWarmupFraction >= 0 && lambdaWarmupFraction <= 1, "lambda warm-up fraction must be in [0, 1]");
		require(lrDecayFraction >= 0 && lrDecayFraction <= 1, "lr decay fraction must be in [0, 1]");
		require(gradClipNorm > 0, "gradient clip norm must be positive");
		require(decoderInitNorm > 0, "decoder init norm must be positive");
		require(deadFeatureWindow > 0, "dead feature window must be positive");
		require(scalingSampleTokens > 0, "scaling sample must be positive");
		require(checkpointEvery >= 0, "checkpoint interval must be >= 0");
		require(checkpointEvery == 0 || checkpointDir != null, "checkpoints need a checkpoint directory");
	}

	private static void require(boolean ok, String message) {
		if (!ok) {
			throw new IllegalArgumentException(message);
		}
	}

	/** @return the recipe's defaults for a standard SAE with {@code dSae} features trained on {@code totalTokens} */
	public static TrainSaeOptions defaults(int dSae, long totalTokens) {
		return new TrainSaeOptions(SaeArchitecture.STANDARD, dSae, 0, 5.0, 4e-4, 4096, totalTokens, 42, 0.05, 0.2, 1.0,
				0.1, 1_000_000, 65_536, 0, null);
	}

	/** @return number of optimiser steps */
	public long totalSteps() {
		return this.totalTokens / this.batchSize;
	}

	/** @return a copy with another architecture and k */
	public TrainSaeOptions withArchitecture(SaeArchitecture a, int newK) {
		return new TrainSaeOptions(a, dSae, newK, l1Coefficient, learningRate, batchSize, totalTokens, seed,
				lambdaWarmupFraction, lrDecayFraction, gradClipNorm, decoderInitNorm, deadFeatureWindow,
				scalingSampleTokens, checkpointEvery, checkpointDir);
	}

	/** @return a copy with another λ and learning rate */
	public TrainSaeOptions withRates(double l1, double lr) {
		return new TrainSaeOptions(architecture, dSae, k, l1, lr, batchSize, totalTokens, seed, lambdaWarmupFraction,
				lrDecayFraction, gradClipNorm, decoderInitNorm, deadFeatureWindow, scalingSampleTokens, checkpointEvery,
				checkpointDir);
	}

	/** @return a copy with another batch size, token budget and seed */
	public TrainSaeOptions withBudget(int batch, long tokens, long newSeed) {
		return new TrainSaeOptions(architecture, dSae, k, l1Coefficient, learningRate, batch, tokens, newSeed,
				lambdaWarmupFraction, lrDecayFraction, gradClipNorm, decoderInitNorm, deadFeatureWindow,
				scalingSampleTokens, checkpointEvery, checkpointDir);
	}

	/** @return a copy with other dead-feature window and scaling sample sizes */
	public TrainSaeOptions withWindows(long deadWindow, int scalingSample) {
		return new TrainSaeOptions(architecture, dSae, k, l1Coefficient, learningRate, batchSize, totalTokens, seed,
				lambdaWarmupFraction, lrDecayFraction, gradClipNorm, decoderInitNorm, deadWindow, scalingSample,
				checkpointEvery, checkpointDir);
	}

	/** @return a copy that checkpoints every {@code steps} steps into {@code dir} */
	public TrainSaeOptions withCheckpoints(int steps, Path dir) {
		return new TrainSaeOptions(architecture, dSae, k, l1Coefficient, learningRate, batchSize, totalTokens, seed,
				lambdaWarmupFraction, lrDecayFraction, gradClipNorm, decoderInitNorm, deadFeatureWindow,
				scalingSampleTokens, steps, dir);
	}

	/** @return λ at {@code step} (0-based): linear warm-up from 0 over the first lambdaWarmupFraction of steps */
	public double l1At(long step) {
		double warm = this.lambdaWarmupFraction * totalSteps();
		return warm <= 0 ? this.l1Coefficient : this.l1Coefficient * Math.min(1.0, (step + 1) / warm);
	}

	/** @return learning rate at {@code step} (0-based): constant, then linear decay to 0 over the last steps */
	public double learningRateAt(long step) {
		long total = totalSteps();
		double decayStart = total * (1 - this.lrDecayFraction);
		if (step < decayStart || this.lrDecayFraction <= 0) {
			return this.learningRate;
		}
		return this.learningRate * Math.max(0.0, (total - step) / (total - decayStart));
	}
}
