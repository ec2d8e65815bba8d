package dev.lumen.engine.model;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import dev.lumen.engine.kernel.CpuKernels;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.IntFunction;

/**
 * A plain-Java forward pass for one sequence, one token at a time, in the style of llama2.c's run.c (and
 * mukel/llama2.java), for every architecture the engine runs (Llama, GPT-2, GPT-NeoX, Gemma 2). Batch-1 decoding
 * makes ~25 native calls per block through DJL, each costing more than its arithmetic at small sizes and adding
 * up at 124M, so batch-1 generation runs here, with {@link PositionHook}s at every hook point. It reads the same
 * canonical weights (fused q/k/v with the score scale folded in, q/k rows in rotate_half layout), copied once into
 * {@link JvmWeights}. The parts: {@link JvmWeights} (the copy), {@link JvmAttention} (KV cache and attention),
 * {@link JvmOps} (norms, activations), {@link JvmRotary}, {@link JvmHooks}, and {@link JvmDecoderSession} (the
 * step loop). Disabled with {@code -Dlumen.engine.jvmDecode=false}. With {@code -Dlumen.engine.decodeThreads=2}
 * each session shares its larger products with a helper thread that spins while the session decodes (worth it
 * on an otherwise idle machine, e.g. the CLI; the server keeps the default of 1, its cores serve concurrent
 * requests).
 */
final class JvmDecoder {

	/** Above this many parameters the Java copy of the weights is not worth its memory. */
	static final long MAX_PARAMETERS = 200_000_000L;

	/**
	 * A first step (the prompt) of at least this many multiply-adds (tokens x parameters) runs through DJL in one
	 * batched forward, and decoding continues here from the keys and values it cached: about 30 ms of Java
	 * position-by-position work, where a batched matrix product is several times faster. For the demo model this
	 * never triggers; for a 135M-parameter model it does from 4 prompt tokens on.
	 * {@code -Dlumen.engine.djlPrefillWork=N} overrides it.
	 */
	static final long DJL_PREFILL_WORK = 500_000_000L;

	/** Runs a prompt through DJL on a fresh cache: the model's {@code step}. */
	@FunctionalInterface
	interface BatchedPrefill {
		float[][] step(int[][] tokens, int[][] mask, KvCache cache, List<HookSpec> hooks);
	}

	private final ModelConfig c;

	private final CpuKernels k = CpuKernels.best();

	private final CompletableFuture<JvmWeights> weights; // copied in the background, see the constructor

	private final JvmRotary rotary; // null for learned positions

	private final long parameters;

	private final BatchedPrefill prefill;

	private final IntFunction<KvCache> newCache;

	/** @return parameters, the multiply-adds of one position's forward pass (embedding and unembedding included) */
	static long parameters(ModelConfig config) {
		long d = config.dModel();
		long attention = d * (config.nHeads() + 2L * config.nKvHeads()) * config.dHead()
				+ (long) config.nHeads() * config.dHead() * d;
		long mlp = (config.architecture().gatedMlp() ? 3L : 2L) * d * config.dMlp();
		return (long) config.vocabSize() * d * 2 + config.nLayers() * (attention + mlp);
	}

	static boolean supports(ModelConfig config, Device device, DataType dtype) {
		return !device.isGpu() && dtype == DataType.FLOAT32 && parameters(config) <= MAX_PARAMETERS
				&& !"false".equalsIgnoreCase(System.getProperty("lumen.engine.jvmDecode", "true"));
	}

	/**
	 * @param rotary the batched path's rotary embedding, or null for learned positions
	 * @param prefill the model's batched step, for long prompts
	 * @param newCache the model's {@code newCache}
	 */
	JvmDecoder(ModelConfig config, ModelWeights w, Rotary rotary, BatchedPrefill prefill, IntFunction<KvCache> newCache) {
		this.c = config;
		this.parameters = parameters(config);
		this.prefill = prefill;
		this.newCache = newCache;
		// the copy takes a while at 124M (a visible part of a cold start's time to first token), and a long prompt's
		// first step runs through DJL without it: copy in the background, sessions wait for it before their first
		// position in Java
		this.weights = CompletableFuture.supplyAsync(() -> new JvmWeights(config, w, this.k), JvmDecoder::copyThread);
		this.rotary = rotary == null ? null : new JvmRotary(config, rotary);
	}

	/**
	 * Opens a batch-1 session with its own KV cache.
	 * @param hooks hook specs whose functions are all {@link PositionHook}s, names already validated
	 */
	DecodeSession open(List<HookSpec> hooks) {
		return new JvmDecoderSession(this, hooks, Integer.getInteger("lumen.engine.decodeThreads", 1) >= 2);
	}

	/** @return true when a first step of {@code tokens} positions is cheaper as one batched DJL forward */
	boolean prefillsThroughDjl(int tokens) {
		return (long) tokens * this.parameters >= Long.getLong("lumen.engine.djlPrefillWork", DJL_PREFILL_WORK);
	}

	ModelConfig config() {
		return this.c;
	}

	CpuKernels kernels() {
		return this.k;
	}

	/** @return the weights, waiting for the background copy to finish */
	JvmWeights weights() {
		try {
			return this.weights.join();
		}
		catch (CompletionException ex) {
			if (ex.getCause() instanceof RuntimeException re) {
				throw re;
			}
			if (ex.getCause() instanceof Error e) {
				throw e; // e.g. OutOfMemoryError: the Java copy did not fit the heap
			}
			throw ex;
		}
	}

	/** Waits until the background copy no longer reads the model's weights (finished or failed). */
	void awaitCopy() {
		try {
			this.weights.join();
		}
		catch (CompletionException ex) {
			// the failure is reported to whoever needs the weights
		}
	}

	private static void copyThread(Runnable copy) {
		Thread t = new Thread(copy, "lumen-jvm-decoder-weights");
		t.setDaemon(true);
		t.start();
	}

	JvmRotary rotary() {
		return this.rotary;
	}

	BatchedPrefill prefill() {
		return this.prefill;
	}

	KvCache newCache(int batch) {
		return this.newCache.apply(batch);
	}
}
