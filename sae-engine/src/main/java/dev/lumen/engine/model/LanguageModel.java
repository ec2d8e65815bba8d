package dev.lumen.engine.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.lumen.engine.tokenizer.Tokenizer;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A loaded causal language model with TransformerLens-style hook points.
 *
 * <p>Memory: the model's weights live in its own manager, freed by {@link #close()}. Every call runs in a
 * sub-manager of it that is closed before the call returns; the arrays a call returns (logits, cached
 * activations) are attached to the manager of the {@code tokens} array the caller passed, or to an
 * explicit {@code output} manager, so the caller frees them by closing that manager.
 *
 * <p>Padding: batched calls take an optional attention mask [batch, pos] (1 = token, 0 = padding). Both
 * left and right padding work: position ids count only real tokens, and padded keys are masked.
 * Generation pads on the left. All calls run with autograd off, except {@link #forwardRecordingGradients}.
 *
 * <p>Thread safety: calls share only read-only weights, so concurrent calls are safe.
 */
public final class LanguageModel implements AutoCloseable {

	private final ModelConfig config;

	private final Tokenizer tokenizer;

	private final NDManager manager;

	private final Transformer transformer;

	private final Set<String> hookNames;

	private final String source;

	private volatile JvmDecoder jvmDecoder; // built on first use, when JvmDecoder.supports(...)

	LanguageModel(ModelConfig config, Tokenizer tokenizer, NDManager manager, ModelWeights weights, DataType dtype,
			String source) {
		this.config = config;
		this.tokenizer = tokenizer;
		this.manager = manager;
		this.transformer = new Transformer(config, weights, dtype, manager);
		this.hookNames = HookNames.all(config);
		this.source = source;
	}

	/**
	 * Loads a model: a llama2.c checkpoint file ({@code .bin}, v0 or v1, with {@code tokenizer.bin} or
	 * {@code tokenizer.model} next to it) or a Hugging Face directory ({@code config.json}, safetensors,
	 * and {@code tokenizer.json} or {@code tokenizer.model}).
	 * @param fileOrDir the checkpoint file or model directory
	 * @param device where weights live and computation runs; f16 weights stay f16 on GPU, bf16 (which DJL
	 * cannot hold) and everything on CPU is widened to float32
	 * @return the model; close it to free native memory
	 * @throws ModelLoadException naming the file, tensor, expected and actual values when something does not fit
	 */
	public static LanguageModel load(Path fileOrDir, Device device) {
		return ModelLoader.load(fileOrDir, device, null);
	}

	/**
	 * Loads a model computing in an explicit dtype instead of the device default (float32 on CPU; on GPU
	 * f16 checkpoints stay f16): e.g. float16 to halve memory, or float32 on GPU for exactness.
	 * bfloat16 is refused: DJL 0.36's PyTorch engine aborts the whole JVM on any bf16 tensor
	 * ("terminate called without an active exception", verified for create and toType), so bf16
	 * checkpoints are widened when they load.
	 * @param computeType FLOAT32 or FLOAT16
	 * @throws IllegalArgumentException for another dtype
	 */
	public static LanguageModel load(Path fileOrDir, Device device, DataType computeType) {
		if (computeType != DataType.FLOAT32 && computeType != DataType.FLOAT16) {
			throw new IllegalArgumentException("compute dtype must be FLOAT32 or FLOAT16, got " + computeType
					+ (computeType == DataType.BFLOAT16 ? " (DJL's PyTorch engine aborts the JVM on bf16 tensors; bf16 "
							+ "weights are widened to float32 instead)" : ""));
		}
		return ModelLoader.load(fileOrDir, device, computeType);
	}

	/**
	 * Loads a model with an explicit strictness: {@link dev.lumen.engine.load.Strictness#LENIENT} logs unknown
	 * config keys and unused tensors instead of refusing them (the other loaders follow {@code -Dlumen.engine.lenient}).
	 * @param computeType FLOAT32, FLOAT16, or null for the device default
	 */
	public static LanguageModel load(Path fileOrDir, Device device, DataType computeType,
			dev.lumen.engine.load.Strictness strictness) {
		if (computeType != null && computeType != DataType.FLOAT32 && computeType != DataType.FLOAT16) {
			return load(fileOrDir, device, computeType);
		}
		return ModelLoader.load(fileOrDir, device, computeType, strictness);
	}

	/** @return the model's sizes and hyper-parameters */
	public ModelConfig config() {
		return this.config;
	}

	/** @return the model's tokenizer */
	public Tokenizer tokenizer() {
		return this.tokenizer;
	}

	/** The weights, for engine code that derives hooks from them ({@link TransformerLensProcessing}). */
	ModelWeights weights() {
		return this.transformer.weights();
	}

	/** @return every hook point name of this model, in forward order */
	public Set<String> hookNames() {
		return this.hookNames;
	}

	/** @return the device the weights live on */
	public Device device() {
		return this.manager.getDevice();
	}

	/** @return the dtype computation runs in (float32 on CPU) */
	public DataType dtype() {
		return this.transformer.dtype();
	}

	/** @return the file or directory this model was loaded from */
	public String source() {
		return this.source;
	}

	/**
	 * Runs the model and returns the logits.
	 * @param tokens [batch, pos] int32 or int64 token ids
	 * @return logits [batch, pos, vocab], attached to {@code tokens}' manager
	 */
	public NDArray forward(NDArray tokens) {
		return run(tokens, null, List.of(), null, -1, tokens.getManager()).logits();
	}

	/**
	 * Runs the model and records the activations whose hook names pass {@code namesFilter}.
	 * @param tokens [batch, pos] token ids
	 * @param namesFilter selects hook names to record (e.g. {@code n -> n.equals(HookNames.residPost(2))})
	 * @return logits [batch, pos, vocab] and the cache, attached to {@code tokens}' manager
	 */
	public ForwardResult runWithCache(NDArray tokens, Predicate<String> namesFilter) {
		return run(tokens, null, List.of(), namesFilter, -1, tokens.getManager());
	}

	/**
	 * Like {@link #runWithCache(NDArray, Predicate)} but stops after block {@code stopAtLayer}, so
	 * extraction does not pay for the layers it does not read.
	 * @param stopAtLayer last block to run (0-based); logits are null in the result
	 */
	public ForwardResult runWithCache(NDArray tokens, Predicate<String> namesFilter, int stopAtLayer) {
		return run(tokens, null, List.of(), namesFilter, stopAtLayer, tokens.getManager());
	}

	/**
	 * Runs the model with hooks that may read and replace activations. Hooks last this call only.
	 * @param tokens [batch, pos] token ids
	 * @param hooks hook functions by hook name
	 * @return logits [batch, pos, vocab], attached to {@code tokens}' manager
	 * @throws IllegalArgumentException for an unknown hook name (listing the valid ones)
	 */
	public NDArray runWithHooks(NDArray tokens, List<HookSpec> hooks) {
		return run(tokens, null, hooks, null, -1, tokens.getManager()).logits();
	}

	/**
	 * The general forward pass: hooks, recording, padding and early stop together.
	 * @param tokens [batch, pos] token ids
	 * @param attentionMask [batch, pos] with 1 for tokens and 0 for padding, or null when nothing is padded
	 * @param hooks hooks for this call (may be empty)
	 * @param namesFilter hook names to record, or null to record none
	 * @param stopAtLayer last block to run, or -1 for the full model (and logits)
	 * @param output the manager the returned arrays are attached to
	 * @return logits [batch, pos, vocab] (null when stopped early) and recorded activations
	 */
	public ForwardResult run(NDArray tokens, NDArray attentionMask, List<HookSpec> hooks,
			Predicate<String> namesFilter, int stopAtLayer, NDManager output) {
		int[][] ids = toRows(tokens, "tokens");
		int[][] mask = attentionMask == null ? ones(ids.length, ids[0].length) : toRows(attentionMask, "attentionMask");
		if (mask.length != ids.length || mask[0].length != ids[0].length) {
			throw new IllegalArgumentException("attentionMask has shape " + attentionMask.getShape() + ", expected "
					+ tokens.getShape());
		}
		return run(ids, mask, hooks, namesFilter, stopAtLayer, output);
	}

	/** Same as {@link #run(NDArray, NDArray, List, Predicate, int, NDManager)} with Java arrays [batch][pos]. */
	public ForwardResult run(int[][] tokens, int[][] attentionMask, List<HookSpec> hooks, Predicate<String> namesFilter,
			int stopAtLayer, NDManager output) {
		if (stopAtLayer < -1 || stopAtLayer >= this.config.nLayers()) {
			throw new IllegalArgumentException("stopAtLayer must be -1 or in [0, " + this.config.nLayers() + "), got "
					+ stopAtLayer);
		}
		checkRectangular(tokens);
		HookRunner runner = HookRunner.of(hooks, this.hookNames, namesFilter, output);
		try (GradMode ignored = GradMode.off(); NDManager scope = this.manager.newSubManager()) {
			return forwardIn(scope, tokens, attentionMask, runner, stopAtLayer, output);
		}
	}

	/**
	 * A full forward pass (no padding, no recording) that leaves autograd as the caller set it, so that inside a
	 * DJL {@code GradientCollector} the graph from the hooks' inputs to the logits is recorded and
	 * {@code backward} reaches arrays a hook made require gradients (feature attribution). The weights never
	 * require gradients. A hook must return an array owned by the activation's manager: one of another manager is
	 * copied into the call's scope, and the copy is detached from the graph. Everything else as in {@link #run(int[][], int[][], List, Predicate, int, NDManager)}.
	 * @param tokens [batch][pos] token ids
	 * @param hooks hooks for this call (may be empty)
	 * @param output the manager the returned logits are attached to
	 * @return logits [batch, pos, vocab], part of the recorded graph when a collector is active
	 */
	public NDArray forwardRecordingGradients(int[][] tokens, List<HookSpec> hooks, NDManager output) {
		checkRectangular(tokens);
		HookRunner runner = HookRunner.of(hooks, this.hookNames, null, output);
		try (NDManager scope = this.manager.newSubManager()) {
			return forwardIn(scope, tokens, null, runner, -1, output).logits();
		}
	}

	private ForwardResult forwardIn(NDManager scope, int[][] tokens, int[][] attentionMask, HookRunner runner,
			int stopAtLayer, NDManager output) {
		NDArray logits = this.transformer.forward(scope, tokens,
				attentionMask == null ? ones(tokens.length, tokens[0].length) : attentionMask, null, runner, stopAtLayer,
				false);
		if (logits != null) {
			logits.attach(output);
		}
		return new ForwardResult(logits, new ActivationCache(runner.recorded()));
	}

	/**
	 * One incremental step with a KV cache (used by generation).
	 * @param tokens [batch][pos] new token ids
	 * @param mask [batch][pos] 1 for tokens, 0 for padding
	 * @param cache the cache to extend
	 * @param hooks hooks for this step (they see only the new positions)
	 * @return last-position logits, [batch][vocab]
	 */
	public float[][] step(int[][] tokens, int[][] mask, KvCache cache, List<HookSpec> hooks) {
		checkRectangular(tokens);
		if (cache.batch() != tokens.length) {
			throw new IllegalArgumentException("cache holds batch " + cache.batch() + ", tokens have " + tokens.length);
		}
		if (cache.length() + tokens[0].length > this.config.maxSeqLen()) {
			throw new IllegalArgumentException("sequence of " + (cache.length() + tokens[0].length)
					+ " tokens exceeds the model's context of " + this.config.maxSeqLen());
		}
		HookRunner runner = HookRunner.of(hooks, this.hookNames, null, null);
		try (GradMode ignored = GradMode.off(); NDManager scope = this.manager.newSubManager()) {
			NDArray logits = this.transformer.forward(scope, tokens, mask, cache, runner, -1, true);
			float[] flat = logits.toType(DataType.FLOAT32, false).toFloatArray();
			int vocab = this.config.vocabSize();
			float[][] out = new float[tokens.length][vocab];
			for (int b = 0; b < tokens.length; b++) {
				System.arraycopy(flat, b * vocab, out[b], 0, vocab);
			}
			return out;
		}
	}

	/**
	 * Logit effects of residual-stream directions (e.g. SAE decoder rows): each direction through the final
	 * norm's gain (centred first for LayerNorm) and the unembedding. The norm's per-token scale is left out, as it
	 * is positive and changes no ranking; so are the unembedding bias and logit soft-capping.
	 * @param directions [n][dModel]
	 * @return [n][vocab]
	 */
	public float[][] directionLogits(float[][] directions) {
		int n = directions.length;
		int d = this.config.dModel();
		float[] flat = new float[n * d];
		for (int i = 0; i < n; i++) {
			if (directions[i].length != d) {
				throw new IllegalArgumentException("direction " + i + " has " + directions[i].length
						+ " values, the model's d_model is " + d);
			}
			System.arraycopy(directions[i], 0, flat, i * d, d);
		}
		try (GradMode ignored = GradMode.off(); NDManager scope = this.manager.newSubManager()) {
			NDArray dirs = scope.create(flat, new ai.djl.ndarray.types.Shape(n, d));
			float[] logits = this.transformer.directionLogits(dirs).toFloatArray();
			int vocab = this.config.vocabSize();
			float[][] out = new float[n][vocab];
			for (int i = 0; i < n; i++) {
				System.arraycopy(logits, i * vocab, out[i], 0, vocab);
			}
			return out;
		}
	}

	/**
	 * Opens an incremental decoding session (what generation uses). Batch-1 sessions of fp32 models up to
	 * {@link JvmDecoder#MAX_PARAMETERS} on CPU whose hooks are all {@link PositionHook}s run in plain Java ({@link JvmDecoder}),
	 * because there the per-call native overhead outweighs the arithmetic; everything else runs through DJL
	 * with a KV cache.
	 * @param batch sequences decoded together
	 * @param hooks hooks applied at every step (they see only the new positions)
	 * @return the session; close it when done
	 */
	public DecodeSession openSession(int batch, List<HookSpec> hooks) {
		if (batch == 1 && hooks.stream().allMatch(h -> h.fn() instanceof PositionHook
				&& HookNames.offeredByJavaDecoder(h.hookName()))
				&& JvmDecoder.supports(this.config, device(), dtype())) {
			for (HookSpec h : hooks) {
				HookNames.validate(h.hookName(), hookNames());
			}
			return jvmDecoder().open(List.copyOf(hooks));
		}
		KvCache cache = newCache(batch);
		List<HookSpec> fixed = List.copyOf(hooks);
		return new DecodeSession() {
			@Override
			public float[][] step(int[][] tokens, int[][] mask) {
				return LanguageModel.this.step(tokens, mask, cache, fixed);
			}

			@Override
			public int length() {
				return cache.length();
			}

			@Override
			public void close() {
				cache.close();
			}
		};
	}

	private JvmDecoder jvmDecoder() {
		JvmDecoder d = this.jvmDecoder;
		if (d == null) {
			synchronized (this) {
				d = this.jvmDecoder;
				if (d == null) {
					d = new JvmDecoder(this.config, this.transformer.weights(), this.transformer.rotary(), this::step,
							this::newCache);
					this.jvmDecoder = d;
				}
			}
		}
		return d;
	}

	/** @return an empty KV cache for {@code batch} sequences; close it when done */
	public KvCache newCache(int batch) {
		return new KvCache(this.manager, this.config.nLayers(), batch);
	}

	private static void checkRectangular(int[][] rows) {
		if (rows.length == 0 || rows[0].length == 0) {
			throw new IllegalArgumentException("tokens must be [batch, pos] with batch, pos >= 1");
		}
		for (int[] r : rows) {
			if (r.length != rows[0].length) {
				throw new IllegalArgumentException("token rows differ in length (" + r.length + " vs " + rows[0].length
						+ "); pad them and pass an attention mask");
			}
		}
	}

	private static int[][] ones(int batch, int pos) {
		int[][] m = new int[batch][pos];
		for (int[] row : m) {
			java.util.Arrays.fill(row, 1);
		}
		return m;
	}

	private static int[][] toRows(NDArray a, String what) {
		Shape s = a.getShape();
		if (s.dimension() != 2) {
			throw new IllegalArgumentException(what + " must be [batch, pos], got shape " + s);
		}
		int batch = (int) s.get(0);
		int pos = (int) s.get(1);
		long[] flat;
		switch (a.getDataType()) {
			case INT64 -> flat = a.toLongArray();
			case INT32 -> flat = java.util.Arrays.stream(a.toIntArray()).asLongStream().toArray();
			default -> throw new IllegalArgumentException(what + " must be int32 or int64, got " + a.getDataType());
		}
		int[][] rows = new int[batch][pos];
		for (int b = 0; b < batch; b++) {
			for (int p = 0; p < pos; p++) {
				rows[b][p] = (int) flat[b * pos + p];
			}
		}
		return rows;
	}

	@Override
	public void close() {
		JvmDecoder d = this.jvmDecoder;
		if (d != null) {
			d.awaitCopy(); // it reads the weights about to be freed
		}
		this.manager.close();
		this.tokenizer.close();
	}
}
