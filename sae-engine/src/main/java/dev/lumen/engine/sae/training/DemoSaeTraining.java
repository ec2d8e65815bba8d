package dev.lumen.engine.sae.training;

import ai.djl.Device;
import dev.lumen.engine.sae.SaeArchitecture;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Trains the demo SAE shipped in {@code demo/sae/} (run by {@code scripts/train-demo-sae.sh} from the repository
 * root): TopK (k = 32), 1024 features (8× tinystories-1m's dModel 128) on {@code blocks.1.hook_resid_post}, 3M
 * tokens of {@code demo/corpus/tinystories.txt} in contexts of 128, evaluated on 200 held-out contexts.
 */
public final class DemoSaeTraining {

	/** Hook of the demo SAE: the residual stream after two of the model's four blocks. */
	public static final String HOOK = "blocks.1.hook_resid_post";

	private DemoSaeTraining() {
	}

	/** @return the demo job; paths relative to {@code root} */
	public static TrainSaeJob job(Path root, Path out) {
		long tokens = 3_000_000;
		TrainSaeOptions options = TrainSaeOptions.defaults(1024, tokens)
			.withArchitecture(SaeArchitecture.TOPK, 32)
			.withRates(0, 1e-3)
			.withBudget(4096, tokens, 42)
			.withWindows(200_000, 65_536);
		return new TrainSaeJob(root.resolve("demo/models/tinystories-1m/model.bin"),
				root.resolve("demo/corpus/tinystories.txt"), root.resolve("demo/corpus/tinystories-heldout.txt"), HOOK, 128,
				32, 131_072, options, out, false, Device.cpu(), 200);
	}

	/** Trains and evaluates; argument: output directory (default {@code demo/sae/tinystories-1m-blocks.1.hook_resid_post-1024}). */
	public static void main(String[] args) throws IOException {
		Path out = Path.of(args.length > 0 ? args[0] : "demo/sae/tinystories-1m-" + HOOK + "-1024");
		SaeTrainingJobs.Outcome o = SaeTrainingJobs.train(job(Path.of(""), out), p -> {
			if (p.step() % 50 == 0 || p.step() == p.totalSteps()) {
				System.out.println(p.summary());
			}
		});
		System.out.printf(Locale.ROOT, "trained %d tokens in %.0f s (%.0f tokens/s incl. activation collection)%n",
				o.training().tokens(), o.training().seconds(), o.training().tokens() / o.training().seconds());
		System.out.println(o.eval().toJson().toPrettyString());
	}
}
