package dev.lumen.cli;

import dev.lumen.engine.device.Devices;
import ai.djl.Device;
import dev.lumen.engine.sae.SaeArchitecture;
import dev.lumen.engine.sae.training.SaeEvalResult;
import dev.lumen.engine.sae.training.SaeTrainingJobs;
import dev.lumen.engine.sae.training.TrainSaeJob;
import dev.lumen.engine.sae.training.TrainSaeOptions;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code lumen train-sae}: trains an SAE on a model's hook over a corpus and writes it in SAELens format. */
@Command(name = "train-sae", mixinStandardHelpOptions = true,
		description = "Train a sparse autoencoder (Scaling Monosemanticity recipe, or TopK) on a model hook.")
public class TrainSaeCommand implements Callable<Integer> {

	@Option(names = "--model", required = true, description = "Model file or directory (llama2.c .bin or HF folder).")
	Path model;

	@Option(names = "--corpus", required = true, description = "Text file, JSONL with a \"text\" field, or a directory.")
	Path corpus;

	@Option(names = "--held-out", description = "Held-out text for the final evaluation (eval.json).")
	Path heldOut;

	@Option(names = "--hook", description = "Hook name, e.g. blocks.1.hook_resid_post (default: residual stream at the middle layer).")
	String hook;

	@Option(names = "--d-sae", description = "Number of features (overrides --expansion).")
	Integer dSae;

	@Option(names = "--expansion", defaultValue = "8", description = "Features per model dimension (default ${DEFAULT-VALUE}).")
	int expansion;

	@Option(names = "--architecture", defaultValue = "standard", description = "standard (ReLU + L1) or topk.")
	String architecture;

	@Option(names = "--k", defaultValue = "32", description = "Active features per token for topk (default ${DEFAULT-VALUE}).")
	int k;

	@Option(names = "--l1", defaultValue = "5.0", description = "Sparsity coefficient lambda (default ${DEFAULT-VALUE}).")
	double l1;

	@Option(names = "--lr", defaultValue = "4e-4", description = "Peak learning rate (default ${DEFAULT-VALUE}).")
	double lr;

	@Option(names = "--tokens", defaultValue = "3000000", description = "Training tokens (default ${DEFAULT-VALUE}).")
	long tokens;

	@Option(names = "--batch", defaultValue = "4096", description = "Tokens per step (default ${DEFAULT-VALUE}).")
	int batch;

	@Option(names = "--context", defaultValue = "128", description = "Tokens per context incl. BOS (default ${DEFAULT-VALUE}).")
	int context;

	@Option(names = "--dead-window", defaultValue = "1000000", description = "Tokens without firing before a feature counts as dead.")
	long deadWindow;

	@Option(names = "--checkpoint-every", defaultValue = "0", description = "Steps between checkpoints (0 = none).")
	int checkpointEvery;

	@Option(names = "--seed", defaultValue = "42")
	long seed;

	@Option(names = "--out", required = true, description = "Output SAE directory.")
	Path out;

	@Option(names = "--resume", description = "Continue from the checkpoint in <out>/checkpoint.")
	boolean resume;

	@Option(names = "--device", defaultValue = "auto", description = "cpu, cuda, cuda:N or auto (default ${DEFAULT-VALUE}).")
	String device;

	@Override
	public Integer call() throws Exception {
		SaeArchitecture arch = SaeArchitecture.fromId(this.architecture);
		int dModel = 0;
		String hookName = this.hook;
		try (var m = dev.lumen.engine.model.LanguageModel.load(this.model, Device.cpu())) {
			dModel = m.config().dModel();
			if (hookName == null) {
				hookName = dev.lumen.engine.model.HookNames.residPost(Math.max(0, m.config().nLayers() / 2 - 1));
			}
		}
		int features = this.dSae != null ? this.dSae : this.expansion * dModel;
		Path checkpoints = this.out.resolve("checkpoint");
		TrainSaeOptions options = TrainSaeOptions.defaults(features, this.tokens)
			.withArchitecture(arch, arch == SaeArchitecture.TOPK ? this.k : 0)
			.withRates(arch == SaeArchitecture.TOPK ? 0 : this.l1, this.lr)
			.withBudget(this.batch, this.tokens, this.seed)
			.withWindows(this.deadWindow, 65_536)
			.withCheckpoints(this.checkpointEvery, this.checkpointEvery > 0 || this.resume ? checkpoints : null);
		Device dev = Devices.parse(this.device);
		TrainSaeJob job = new TrainSaeJob(this.model, this.corpus, this.heldOut, hookName, this.context, 32,
				Math.max(131_072, 2 * this.batch), options, this.out, this.resume, dev, 200);
		ProgressBar bar = new ProgressBar(System.out);
		SaeTrainingJobs.Outcome outcome = SaeTrainingJobs.train(job, p -> bar.draw((double) p.step() / p.totalSteps(),
				String.format(Locale.ROOT, "%.0f tok/s  ETA %s  MSE %.3f  L0 %.1f  dead %.1f%%", p.tokensPerSecond(),
						ProgressBar.duration(p.etaSeconds()), p.mse(), p.l0(), 100 * p.deadFraction()),
				p.step() == p.totalSteps()));
		bar.finish();
		System.out.println("SAE written to " + this.out);
		SaeEvalResult eval = outcome.eval();
		if (eval != null) {
			System.out.printf(Locale.ROOT, "explained variance %.3f  L0 %.1f  dead %.1f%%  CE loss recovered %.3f%n",
					eval.explainedVariance(), eval.l0(), 100 * eval.deadFraction(), eval.ceLossRecovered());
		}
		return 0;
	}
}
