package dev.lumen.engine.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.lumen.engine.device.Devices;
import dev.lumen.engine.generate.GenerationOptions;
import dev.lumen.engine.generate.GenerationResult;
import dev.lumen.engine.generate.Generator;
import dev.lumen.engine.generate.TokenListener;
import dev.lumen.engine.model.LanguageModel;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;

/**
 * Measures (a) prefill throughput: forward passes over a [batch, len] block of tokens, and (b) generation
 * throughput: greedy tokens at batch 1 with the KV cache. Run by {@code scripts/bench-engine.sh}, which
 * compares with llama2.c's run.c in the same run.
 *
 * <p>Usage: {@code EngineBenchmark MODEL [--device cpu] [--batch 32] [--len 128] [--gen 200] [--reps 5]}
 */
public final class EngineBenchmark {

	private EngineBenchmark() {
	}

	public static void main(String[] args) {
		Path model = Path.of(args[0]);
		String device = "cpu";
		int batch = 32;
		int len = 128;
		int gen = 200;
		int reps = 5;
		for (int i = 1; i + 1 < args.length; i += 2) {
			switch (args[i]) {
				case "--device" -> device = args[i + 1];
				case "--batch" -> batch = Integer.parseInt(args[i + 1]);
				case "--len" -> len = Integer.parseInt(args[i + 1]);
				case "--gen" -> gen = Integer.parseInt(args[i + 1]);
				case "--reps" -> reps = Integer.parseInt(args[i + 1]);
				default -> throw new IllegalArgumentException("unknown option " + args[i]);
			}
		}
		try (LanguageModel lm = LanguageModel.load(model, Devices.parse(device))) {
			System.out.printf(Locale.ROOT, "model %s on %s (%s)%n", model, lm.device(), lm.dtype());
			double prefill = prefill(lm, batch, len, reps);
			System.out.printf(Locale.ROOT, "prefill_tok_per_s %.0f (batch %d x %d tokens, best of %d)%n", prefill, batch, len,
					reps);
			double generation = generation(lm, gen, reps);
			System.out.printf(Locale.ROOT, "generate_tok_per_s %.1f (batch 1, %d greedy tokens with KV cache, best of %d)%n",
					generation, gen, reps);
		}
	}

	private static double prefill(LanguageModel lm, int batch, int len, int reps) {
		Random r = new Random(1);
		int[] ids = new int[batch * len];
		for (int i = 0; i < ids.length; i++) {
			ids[i] = i % len == 0 ? Math.max(lm.config().bosId(), 0) : 3 + r.nextInt(lm.config().vocabSize() - 3);
		}
		double best = 0;
		try (NDManager m = NDManager.newBaseManager(lm.device())) {
			NDArray tokens = m.create(ids, new Shape(batch, len));
			for (int rep = 0; rep <= reps; rep++) {
				try (NDManager scope = m.newSubManager()) {
					NDArray t = tokens.duplicate();
					t.attach(scope);
					long start = System.nanoTime();
					lm.forward(t).getFloat(0, 0, 0); // read one value so lazy work completes
					double s = (System.nanoTime() - start) / 1e9;
					if (rep > 0) {
						best = Math.max(best, batch * len / s);
					}
				}
			}
		}
		return best;
	}

	private static double generation(LanguageModel lm, int gen, int reps) {
		Generator g = new Generator(lm);
		int[] prompt = lm.tokenizer().encode("Once upon a time", true);
		GenerationOptions options = GenerationOptions.greedy(gen).withStopAtEos(false);
		// the Java decode path needs a few thousand tokens before the JIT has compiled its loops
		for (int warm = 0; warm < 10; warm++) {
			g.generate(prompt, options, TokenListener.NONE);
		}
		double best = 0;
		for (int rep = 0; rep < reps; rep++) {
			long start = System.nanoTime();
			GenerationResult result = g.generate(prompt, options, TokenListener.NONE);
			double s = (System.nanoTime() - start) / 1e9;
			best = Math.max(best, result.tokens().length / s);
		}
		return best;
	}
}
