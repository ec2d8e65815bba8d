package dev.lumen.engine.generate;

/** Why a generation ended. */
public enum StopReason {
	/** maxNewTokens were generated */
	MAX_TOKENS,
	/** a stop token (or EOS) was sampled */
	STOP_TOKEN,
	/** the model's context is full */
	CONTEXT_FULL,
	/** {@link CancellationSignal#cancel()} was called or the thread was interrupted */
	CANCELLED
}
