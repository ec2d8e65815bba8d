package dev.lumen.engine.sae.training;

import dev.lumen.engine.model.LanguageModel;
import dev.lumen.engine.sae.Sae;
import dev.lumen.engine.sae.SaeArchitecture;
import dev.lumen.engine.sae.SaeConfig;
import java.io.IOException;
import java.nio.file.Path;

/** Entry points the CLI calls: train an SAE on a model's hook and evaluate one. */
public final class SaeTrainingJobs {

	/**
	 * A finished job.
	 *
	 * @param training the training run's result
	 * @param eval the held-out evaluation, or null when the job had no held-out text
	 */
	public record Outcome(SaeTrainingRun.Result training, SaeEvalResult eval) {
	}

	private SaeTrainingJobs() {
	}

	/**
	 * Trains, saves and (with held-out text) evaluates an SAE.
	 * @throws IOException when the output cannot be written
	 */
	public static Outcome train(TrainSaeJob job, ProgressListener listener) throws IOException {
		try (LanguageModel model = LanguageModel.load(job.model(), job.device())) {
			SaeConfig hook = SaeConfig.of(model.config().dModel(), 1, SaeArchitecture.STANDARD, 0, job.hookName(),
					modelName(job.model())).withContext(job.contextSize(), true);
			SaeTrainingRun.Result result;
			try (ModelActivationSource source = ModelActivationSource.of(model, job.hookName(), job.corpus(),
					job.contextSize(), job.contextsPerForward(), job.bufferTokens(), job.options().seed())) {
				result = SaeTrainingRun.train(hook, job.options(), source, job.resume(), job.device(), listener,
						1);
			}
			result.save(job.out());
			SaeEvalResult eval = null;
			if (job.heldOut() != null) {
				eval = evaluate(model, job.out(), job.heldOut(), job.contextSize(), job.evalContexts());
			}
			return new Outcome(result, eval);
		}
	}

	/**
	 * Evaluates a saved SAE on held-out text and writes {@code eval.json} next to it.
	 * @throws IOException when eval.json cannot be written
	 */
	public static SaeEvalResult evaluate(LanguageModel model, Path saeDirectory, Path heldOut, int contextSize,
			int maxContexts) throws IOException {
		try (Sae sae = Sae.loadFromDisk(saeDirectory, model.device())) {
			SaeEvalResult eval = SaeEvaluator.evaluate(model, sae, Corpus.documents(heldOut), contextSize, maxContexts, 16);
			eval.writeTo(saeDirectory);
			return eval;
		}
	}

	/** A readable model name for cfg.json: the model's directory name (e.g. {@code tinystories-1m}). */
	static String modelName(Path model) {
		Path abs = model.toAbsolutePath().normalize();
		Path name = abs.getFileName();
		if (name != null && name.toString().contains(".") && abs.getParent() != null) {
			name = abs.getParent().getFileName();
		}
		if (name != null && (name.toString().equals("hf") || name.toString().startsWith("hf-")) && abs.getParent() != null) {
			name = abs.getParent().getFileName();
		}
		return name == null ? abs.toString() : name.toString();
	}
}
