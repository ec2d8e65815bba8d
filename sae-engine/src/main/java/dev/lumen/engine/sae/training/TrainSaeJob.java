package dev.lumen.engine.sae.training;

import ai.djl.Device;
import java.nio.file.Path;

/**
 * Everything {@code lumen train-sae} needs: which model, corpus and hook, how to train, where to write.
 *
 * @param model model file or directory (see {@code LanguageModel.load})
 * @param corpus training text (file or directory, see {@link Corpus})
 * @param heldOut evaluation text, or null to skip the evaluation
 * @param hookName hook to train on, e.g. {@code blocks.1.hook_resid_post}
 * @param contextSize tokens per context, BOS included
 * @param contextsPerForward contexts per model forward pass while collecting activations
 * @param bufferTokens capacity of the shuffling buffer in tokens
 * @param options training settings
 * @param out SAE directory to write (cfg.json, sae_weights.safetensors, eval.json, sparsity.safetensors)
 * @param resume continue from {@code options.checkpointDir()} when it holds a checkpoint
 * @param device where the model and the SAE run
 * @param evalContexts held-out contexts to evaluate on
 */
public record TrainSaeJob(Path model, Path corpus, Path heldOut, String hookName, int contextSize,
		int contextsPerForward, int bufferTokens, TrainSaeOptions options, Path out, boolean resume, Device device,
		int evalContexts) {

	/** Checks what the options record cannot. */
	public TrainSaeJob {
		if (contextSize < 2 || contextsPerForward < 1 || bufferTokens < options.batchSize() || evalContexts < 1) {
			throw new IllegalArgumentException("need contextSize >= 2, contextsPerForward >= 1, evalContexts >= 1 and a "
					+ "shuffle buffer of at least one batch (" + options.batchSize() + " tokens), got contextSize="
					+ contextSize + ", contextsPerForward=" + contextsPerForward + ", bufferTokens=" + bufferTokens
					+ ", evalContexts=" + evalContexts);
		}
	}
}
