package dev.lumen.cli;

import dev.lumen.engine.device.Devices;
import ai.djl.Device;
import dev.lumen.engine.model.LanguageModel;
import dev.lumen.engine.sae.training.SaeEvalResult;
import dev.lumen.engine.sae.training.SaeTrainingJobs;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code lumen eval-sae}: evaluates an SAE on held-out text and writes eval.json next to it. */
@Command(name = "eval-sae", mixinStandardHelpOptions = true,
		description = "Evaluate an SAE: L0, explained variance, dead/dense features, CE loss recovered, KL.")
public class EvalSaeCommand implements Callable<Integer> {

	@Option(names = "--model", required = true, description = "Model file or directory the SAE was trained on.")
	Path model;

	@Option(names = "--sae", required = true, description = "SAE directory (cfg.json + sae_weights.safetensors).")
	Path sae;

	@Option(names = "--corpus", required = true, description = "Held-out text file, JSONL or directory.")
	Path corpus;

	@Option(names = "--context", defaultValue = "128", description = "Tokens per context incl. BOS (default ${DEFAULT-VALUE}).")
	int context;

	@Option(names = "--contexts", defaultValue = "200", description = "Contexts to evaluate (default ${DEFAULT-VALUE}).")
	int contexts;

	@Option(names = "--device", defaultValue = "auto", description = "cpu, cuda, cuda:N or auto (default ${DEFAULT-VALUE}).")
	String device;

	@Override
	public Integer call() throws Exception {
		try (LanguageModel m = LanguageModel.load(this.model, Devices.parse(this.device))) {
			SaeEvalResult eval = SaeTrainingJobs.evaluate(m, this.sae, this.corpus, this.context, this.contexts);
			System.out.println(eval.toJson().toPrettyString());
			System.out.println("written to " + this.sae.resolve(SaeEvalResult.FILE));
		}
		return 0;
	}
}
