package dev.lumen.engine.generate;

import dev.lumen.engine.model.HookSpec;
import dev.lumen.engine.model.DecodeSession;
import dev.lumen.engine.model.LanguageModel;
import dev.lumen.engine.tokenizer.Tokenizer;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Autoregressive generation with a KV cache: the prompt is processed in one step, then one token per
 * step. Hooks apply at every step (they see the new positions only), which is how SAE feature clamping
 * steers generation. One generator may serve many sequential or concurrent requests: each call has its
 * own cache and random source.
 */
public final class Generator {

	private final LanguageModel model;

	/** @param model the model to generate with */
	public Generator(LanguageModel model) {
		this.model = model;
	}

	/** Generates without hooks or cancellation. */
	public GenerationResult generate(int[] prompt, GenerationOptions options, TokenListener listener) {
		return generate(prompt, options, List.of(), listener, new CancellationSignal());
	}

	/** Generates with hooks, without cancellation. */
	public GenerationResult generate(int[] prompt, GenerationOptions options, List<HookSpec> hooks,
			TokenListener listener) {
		return generate(prompt, options, hooks, listener, new CancellationSignal());
	}

	/**
	 * Generates a continuation of {@code prompt}.
	 * @param prompt token ids (include BOS yourself, e.g. {@code tokenizer.encode(text, true)})
	 * @param options sampling and stopping options
	 * @param hooks hooks applied at every step
	 * @param listener called per generated token with the newly completed text
	 * @param cancel checked before every step
	 * @return generated tokens and text
	 * @throws IllegalArgumentException for an empty prompt or one longer than the model's context
	 */
	public GenerationResult generate(int[] prompt, GenerationOptions options, List<HookSpec> hooks,
			TokenListener listener, CancellationSignal cancel) {
		if (prompt.length == 0) {
			throw new IllegalArgumentException("prompt must hold at least one token (e.g. BOS)");
		}
		int context = this.model.config().maxSeqLen();
		if (prompt.length >= context) {
			throw new IllegalArgumentException("prompt of " + prompt.length + " tokens leaves no room in the model's context of "
					+ context);
		}
		Set<Integer> stops = new HashSet<>(options.stopTokens());
		if (options.stopAtEos() && this.model.config().eosId() >= 0) {
			stops.add(this.model.config().eosId());
		}
		Sampler sampler = new Sampler(options);
		Tokenizer tokenizer = this.model.tokenizer();
		TextStream text = new TextStream(tokenizer, prompt);
		int[] generated = new int[options.maxNewTokens()];
		int count = 0;
		StopReason reason = StopReason.MAX_TOKENS;
		try (DecodeSession session = this.model.openSession(1, hooks)) {
			int[] next = prompt;
			while (count < options.maxNewTokens()) {
				if (cancel.isCancelled() || Thread.currentThread().isInterrupted()) {
					reason = StopReason.CANCELLED;
					break;
				}
				if (session.length() + next.length > context) {
					reason = StopReason.CONTEXT_FULL;
					break;
				}
				float[] logits = session.step(new int[][] { next }, new int[][] { ones(next.length) })[0];
				int token = sampler.sample(logits);
				if (stops.contains(token)) {
					reason = StopReason.STOP_TOKEN;
					break;
				}
				generated[count++] = token;
				listener.onToken(token, text.append(token));
				next = new int[] { token };
			}
		}
		int[] tokens = Arrays.copyOf(generated, count);
		return new GenerationResult(tokens, text.all(), reason);
	}

	private static int[] ones(int n) {
		int[] a = new int[n];
		Arrays.fill(a, 1);
		return a;
	}
}
