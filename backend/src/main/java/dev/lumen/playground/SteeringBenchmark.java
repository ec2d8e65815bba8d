package dev.lumen.playground;

import ai.djl.Device;
import dev.lumen.engine.generate.GenerationOptions;
import dev.lumen.engine.generate.Generator;
import dev.lumen.engine.model.HookSpec;
import dev.lumen.engine.model.LanguageModel;
import dev.lumen.engine.sae.Sae;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Steered vs unsteered generation speed on one model and SAE, measured in the same process (scripts/bench-steer.sh):
 * tokens/s of unsteered generation (the engine's default path: the plain-Java decoder for small Llama models),
 * unsteered through the DJL path (an identity hook at the SAE's hook forces it), and steered (one clamped
 * feature), plus time to first token (unsteered and steered) for a prompt of exactly 50 tokens. Medians of several
 * repetitions.
 */
public final class SteeringBenchmark {

	private SteeringBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		Path modelPath = Path.of(args.length > 0 ? args[0] : "demo/models/tinystories-1m/model.bin");
		Path saePath = Path.of(args.length > 1 ? args[1] : "demo/sae/tinystories-1m-blocks.1.hook_resid_post-1024");
		int tokens = args.length > 2 ? Integer.parseInt(args[2]) : 200;
		int reps = args.length > 3 ? Integer.parseInt(args[3]) : 5;
		try (LanguageModel model = LanguageModel.load(modelPath, Device.cpu()); Sae sae = Sae.loadFromDisk(saePath, Device.cpu())) {
			String text = "Once upon a time, there was a little girl named Lily. She loved to play outside in the park "
					+ "with her friends. One day, she saw a big red ball under a tree and she wanted to";
			int[] prompt = model.tokenizer().encode(text, true);
			GenerationOptions options = GenerationOptions.sampling(tokens, 0.8f, 0.9f, 42).withStopAtEos(false);
			GenerationOptions first = GenerationOptions.sampling(1, 0.8f, 0.9f, 42).withStopAtEos(false);
			Generator generator = new Generator(model);
			String hook = sae.config().hookName();
			java.util.function.Supplier<List<HookSpec>> none = List::of;
			java.util.function.Supplier<List<HookSpec>> identity = () -> List.of(new HookSpec(hook, (a, n) -> a));
			java.util.function.Supplier<List<HookSpec>> steered = () -> List.of(new SteeringHook(sae,
					List.of(new FeatureIntervention(17, FeatureIntervention.Mode.CLAMP, 20f)), SteeringPositions.ALL).spec());
			System.out.printf(Locale.ROOT, "model %s, SAE %s, prompt %d tokens, %d new tokens, %d repetitions (medians)%n",
					modelPath, saePath.getFileName(), prompt.length, tokens, reps);
			double plain = tokensPerSecond(generator, prompt, options, none, reps);
			double djl = tokensPerSecond(generator, prompt, options, identity, reps);
			double steer = tokensPerSecond(generator, prompt, options, steered, reps);
			System.out.printf(Locale.ROOT, "unsteered (default path)     %8.1f tokens/s%n", plain);
			System.out.printf(Locale.ROOT, "unsteered (DJL, identity hook)%7.1f tokens/s%n", djl);
			System.out.printf(Locale.ROOT, "steered (clamp 1 feature)    %8.1f tokens/s  = %.0f %% of default path, %.0f %% of DJL path%n",
					steer, 100 * steer / plain, 100 * steer / djl);
			int[] prompt50 = fiftyTokenPrompt(model, text);
			int ttftReps = Math.max(reps, 11);
			firstTokenMillis(generator, prompt50, first, none, 2); // warm-up of the one-token path
			firstTokenMillis(generator, prompt50, first, steered, 2);
			System.out.printf(Locale.ROOT, "time to first token, %d-token prompt (median of %d): unsteered %.1f ms, steered %.1f ms%n",
					prompt50.length, ttftReps, firstTokenMillis(generator, prompt50, first, none, ttftReps),
					firstTokenMillis(generator, prompt50, first, steered, ttftReps));
		}
	}

	private static double tokensPerSecond(Generator generator, int[] prompt, GenerationOptions options,
			java.util.function.Supplier<List<HookSpec>> hooks, int reps) {
		for (int warm = 0; warm < 5; warm++) {
			// warm-up: lets the JIT compile this configuration's loops before anything is timed
			generator.generate(prompt, options, hooks.get(), (id, t) -> {
			});
		}
		double[] rates = new double[reps];
		for (int r = 0; r < reps; r++) {
			long start = System.nanoTime();
			int n = generator.generate(prompt, options, hooks.get(), (id, t) -> {
			}).tokens().length;
			rates[r] = n / ((System.nanoTime() - start) / 1e9);
		}
		return median(rates);
	}

	/** @return exactly 50 tokens (BOS included): the benchmark text repeated as often as needed, cut at 50 */
	private static int[] fiftyTokenPrompt(LanguageModel model, String text) {
		int[] ids = model.tokenizer().encode(text + " " + text, true);
		if (ids.length < 50) {
			throw new IllegalStateException("the benchmark text is only " + ids.length + " tokens long");
		}
		return Arrays.copyOf(ids, 50);
	}

	/** Time until the first new token is sampled: the whole prompt is processed, then one token is generated. */
	private static double firstTokenMillis(Generator generator, int[] prompt, GenerationOptions first,
			java.util.function.Supplier<List<HookSpec>> hooks, int reps) {
		double[] ms = new double[reps];
		for (int r = 0; r < reps; r++) {
			long start = System.nanoTime();
			generator.generate(prompt, first, hooks.get(), (id, t) -> {
			});
			ms[r] = (System.nanoTime() - start) / 1e6;
		}
		return median(ms);
	}

	private static double median(double[] values) {
		double[] sorted = values.clone();
		Arrays.sort(sorted);
		return sorted[sorted.length / 2];
	}
}
