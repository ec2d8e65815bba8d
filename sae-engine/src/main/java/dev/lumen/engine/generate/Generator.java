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
		try (Generation g = start(prompt, options, hooks, listener, cancel)) {
			while (g.advance()) {
				// each call generates one token and tells the listener
			}
			return g.result();
		}
	}

	/**
	 * Starts a generation that the caller advances one token at a time, e.g. to interleave two generations on
	 * one thread so both stream at once. Nothing runs until the first {@link Generation#advance()}.
	 * @throws IllegalArgumentException for an empty prompt or one longer than the model's context
	 */
	public Generation start(int[] prompt, GenerationOptions options, List<HookSpec> hooks, TokenListener listener,
			CancellationSignal cancel) {
		if (prompt.length == 0) {
			throw new IllegalArgumentException("prompt must hold at least one token (e.g. BOS)");
		}
		int context = this.model.config().maxSeqLen();
		if (prompt.length >= context) {
			throw new IllegalArgumentException("prompt of " + prompt.length + " tokens leaves no room in the model's context of "
					+ context);
		}
		return new Generation(prompt, options, hooks, listener, cancel);
	}

	/** One generation in progress: its KV cache, sampler and text so far. Close it to free the cache. */
	public final class Generation implements AutoCloseable {

		private final GenerationOptions options;

		private final TokenListener listener;

		private final CancellationSignal cancel;

		private final Set<Integer> stops = new HashSet<>();

		private final Sampler sampler;

		private final TextStream text;

		private final DecodeSession session;

		private final int[] generated;

		private int count;

		private int[] next;

		private StopReason reason;

		private Generation(int[] prompt, GenerationOptions options, List<HookSpec> hooks, TokenListener listener,
				CancellationSignal cancel) {
			this.options = options;
			this.listener = listener;
			this.cancel = cancel;
			this.stops.addAll(options.stopTokens());
			if (options.stopAtEos() && Generator.this.model.config().eosId() >= 0) {
				this.stops.add(Generator.this.model.config().eosId());
			}
			this.sampler = new Sampler(options);
			Tokenizer tokenizer = Generator.this.model.tokenizer();
			this.text = new TextStream(tokenizer, prompt);
			this.generated = new int[options.maxNewTokens()];
			this.next = prompt;
			this.session = Generator.this.model.openSession(1, hooks);
		}

		/**
		 * Generates the next token (processing the prompt first) and passes it to the listener, or finds that
		 * the generation has ended.
		 * @return false once the generation has ended (see {@link #result()})
		 */
		public boolean advance() {
			if (this.reason != null) {
				return false;
			}
			if (this.count >= this.options.maxNewTokens()) {
				this.reason = StopReason.MAX_TOKENS;
				return false;
			}
			if (this.cancel.isCancelled() || Thread.currentThread().isInterrupted()) {
				this.reason = StopReason.CANCELLED;
				return false;
			}
			if (this.session.length() + this.next.length > Generator.this.model.config().maxSeqLen()) {
				this.reason = StopReason.CONTEXT_FULL;
				return false;
			}
			float[] logits = this.session.step(new int[][] { this.next }, new int[][] { ones(this.next.length) })[0];
			int token = this.sampler.sample(logits);
			if (this.stops.contains(token)) {
				this.reason = StopReason.STOP_TOKEN;
				return false;
			}
			this.generated[this.count++] = token;
			this.listener.onToken(token, this.text.append(token));
			this.next = new int[] { token };
			return true;
		}

		/** @return the tokens and text so far, and why the generation stopped (MAX_TOKENS while it still runs) */
		public GenerationResult result() {
			return new GenerationResult(Arrays.copyOf(this.generated, this.count), this.text.all(),
					this.reason == null ? StopReason.MAX_TOKENS : this.reason);
		}

		@Override
		public void close() {
			this.session.close();
		}
	}

	private static int[] ones(int n) {
		int[] a = new int[n];
		Arrays.fill(a, 1);
		return a;
	}
}
