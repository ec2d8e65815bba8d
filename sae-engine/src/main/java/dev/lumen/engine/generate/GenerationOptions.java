package dev.lumen.engine.generate;

import java.util.Set;

/**
 * How to pick tokens during generation, validated on construction.
 * @param maxNewTokens upper bound on generated tokens
 * @param temperature 0 for greedy (argmax); otherwise logits are divided by it before sampling
 * @param topP nucleus sampling: keep the smallest set of tokens whose probability sums to at least topP (1 = off)
 * @param topK keep only the topK most likely tokens (0 = off)
 * @param seed random seed; the same seed, prompt and options give the same tokens
 * @param stopTokens ids that end generation (the stop token is not emitted); the model's EOS is added by the generator
 * when {@code stopAtEos}
 * @param stopAtEos whether the model's EOS id stops generation
 */
public record GenerationOptions(int maxNewTokens, float temperature, float topP, int topK, long seed,
		Set<Integer> stopTokens, boolean stopAtEos) {

	public GenerationOptions {
		if (maxNewTokens < 1) {
			throw new IllegalArgumentException("maxNewTokens must be >= 1, got " + maxNewTokens);
		}
		if (!(temperature >= 0) || Float.isInfinite(temperature)) {
			throw new IllegalArgumentException("temperature must be >= 0, got " + temperature);
		}
		if (!(topP > 0 && topP <= 1)) {
			throw new IllegalArgumentException("topP must be in (0, 1], got " + topP);
		}
		if (topK < 0) {
			throw new IllegalArgumentException("topK must be >= 0 (0 = off), got " + topK);
		}
		stopTokens = Set.copyOf(stopTokens);
	}

	/** @return greedy decoding of up to {@code maxNewTokens}, stopping at EOS */
	public static GenerationOptions greedy(int maxNewTokens) {
		return new GenerationOptions(maxNewTokens, 0f, 1f, 0, 0L, Set.of(), true);
	}

	/** @return sampling at {@code temperature} with nucleus {@code topP} and {@code seed}, stopping at EOS */
	public static GenerationOptions sampling(int maxNewTokens, float temperature, float topP, long seed) {
		return new GenerationOptions(maxNewTokens, temperature, topP, 0, seed, Set.of(), true);
	}

	/** @return a copy with top-k filtering */
	public GenerationOptions withTopK(int k) {
		return new GenerationOptions(this.maxNewTokens, this.temperature, this.topP, k, this.seed, this.stopTokens,
				this.stopAtEos);
	}

	/** @return a copy with these stop tokens */
	public GenerationOptions withStopTokens(Set<Integer> ids) {
		return new GenerationOptions(this.maxNewTokens, this.temperature, this.topP, this.topK, this.seed, ids,
				this.stopAtEos);
	}

	/** @return a copy that does (or does not) stop at the model's EOS */
	public GenerationOptions withStopAtEos(boolean stop) {
		return new GenerationOptions(this.maxNewTokens, this.temperature, this.topP, this.topK, this.seed,
				this.stopTokens, stop);
	}
}
