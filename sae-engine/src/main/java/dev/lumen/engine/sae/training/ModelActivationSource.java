package dev.lumen.engine.sae.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.lumen.engine.model.HookNames;
import dev.lumen.engine.model.LanguageModel;
import java.nio.file.Path;
import java.util.List;

/**
 * Activations of one hook of a language model over a corpus: fixed-length contexts starting with BOS (see
 * {@link TokenContexts}), run through the model up to the hook's layer, BOS position dropped, mixed in a
 * {@link ShufflingBuffer}. Deterministic for a given corpus, model and seed.
 */
public final class ModelActivationSource implements ActivationSource {

	private final ShufflingBuffer buffer;

	private final int dIn;

	/**
	 * @param model the model (not closed by this source)
	 * @param hookName hook to read, e.g. {@code HookNames.residPost(1)}
	 * @param documents corpus documents
	 * @param contextSize tokens per context, BOS included
	 * @param contextsPerForward contexts run per forward pass
	 * @param bufferTokens capacity of the shuffling buffer in tokens
	 * @param seed seeds the shuffle
	 */
	public ModelActivationSource(LanguageModel model, String hookName, List<String> documents, int contextSize,
			int contextsPerForward, int bufferTokens, long seed) {
		HookNames.validate(hookName, model);
		int layer = HookNames.layerOf(hookName);
		this.dIn = model.config().dModel();
		checkWidth(model, hookName, layer, this.dIn);
		TokenContexts contexts = new TokenContexts(documents,
				WordChunkedEncoder.forTokenizer(model.tokenizer(), documents.get(0)),
				model.tokenizer().bosId(), contextSize);
		this.buffer = new ShufflingBuffer(this.dIn, bufferTokens,
				() -> forward(model, hookName, layer, contexts, contextsPerForward), seed);
	}

	/**
	 * Training reads [batch, pos, dModel] activations; per-head ([.., heads, dHead]), attention-pattern and MLP-width
	 * hooks are refused before any work (one BOS token tells the shape).
	 */
	private static void checkWidth(LanguageModel model, String hookName, int layer, int dModel) {
		try (NDManager scope = NDManager.newBaseManager(model.device())) {
			int bos = Math.max(0, model.tokenizer().bosId());
			ai.djl.ndarray.types.Shape shape = model.run(new int[][] { { bos } }, null, List.of(), hookName::equals,
					layer < 0 ? -1 : layer, scope).cache().get(hookName).getShape();
			if (shape.dimension() != 3 || shape.get(2) != dModel) {
				throw new IllegalArgumentException("hook " + hookName + " has shape " + shape + " for one token; SAE "
						+ "training reads [batch, pos, dModel=" + dModel + "] activations (residual, attn_out, mlp_out, "
						+ "hook_normalized points)");
			}
		}
	}

	/** Convenience: reads the corpus at {@code corpus} (see {@link Corpus}). */
	public static ModelActivationSource of(LanguageModel model, String hookName, Path corpus, int contextSize,
			int contextsPerForward, int bufferTokens, long seed) {
		return new ModelActivationSource(model, hookName, Corpus.documents(corpus), contextSize, contextsPerForward,
				bufferTokens, seed);
	}

	/** Runs one batch of contexts and returns the hook's activations without the BOS position, [batch·(pos−1), dIn]. */
	static float[] forward(LanguageModel model, String hookName, int layer, TokenContexts contexts, int batch) {
		int[][] ids = new int[batch][];
		for (int b = 0; b < batch; b++) {
			ids[b] = contexts.next();
		}
		try (NDManager scope = NDManager.newBaseManager(model.device())) {
			NDArray act = model.run(ids, null, List.of(), hookName::equals, layer < 0 ? -1 : layer, scope)
				.cache()
				.get(hookName); // [batch, pos, dIn]
			return act.get(":, 1:, :").toFloatArray();
		}
	}

	@Override
	public int dIn() {
		return this.dIn;
	}

	@Override
	public float[] nextBatch(int n) {
		return this.buffer.nextBatch(n);
	}
}
