package dev.lumen.review;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import dev.lumen.catalog.LeasedCache;
import dev.lumen.catalog.LoadedModels;
import dev.lumen.system.ModelWork;
import dev.lumen.catalog.SourceUnavailableException;
import dev.lumen.engine.model.ForwardResult;
import dev.lumen.engine.model.HookNames;
import dev.lumen.engine.model.LanguageModel;
import dev.lumen.engine.sae.Sae;
import java.util.Arrays;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Runs prompts through an SAE's model (only as far as the SAE's hook) and the SAE encoder, and reports each
 * feature's largest activation per prompt. Model and SAE come from the server's shared {@link LoadedModels}.
 */
@Component
public class PromptActivations {

	private final LoadedModels loaded;

	private final ModelWork work;

	public PromptActivations(LoadedModels loaded, ModelWork work) {
		this.loaded = loaded;
		this.work = work;
	}

	/**
	 * @param modelSource the model's file or directory ({@code model.source})
	 * @param saeSource the SAE's directory ({@code sae.source})
	 * @param prompts texts; each is encoded with BOS, which is left out of the maximum
	 * @return each feature's largest activation over each prompt's tokens, shape [nPrompts][dSae]
	 * @throws IllegalStateException when the files are not readable from this server
	 */
	public float[][] maxPerPrompt(String modelSource, String saeSource, List<String> prompts) {
		try (ModelWork.Permit permit = this.work.enter(ModelWork.Kind.FILTER);
				LeasedCache.Lease<LanguageModel> modelLease = lease(() -> this.loaded.model(modelSource));
				LeasedCache.Lease<Sae> saeLease = lease(() -> this.loaded.sae(saeSource));
				NDManager manager = NDManager.newBaseManager(modelLease.get().device())) {
			LanguageModel model = modelLease.get();
			Sae sae = saeLease.get();
			String hook = HookNames.validate(sae.config().hookName(), model);
			int stopAtLayer = hook.startsWith("blocks.") ? Math.min(HookNames.layerOf(hook), model.config().nLayers() - 1) : -1;
			float[][] out = new float[prompts.size()][];
			for (int p = 0; p < prompts.size(); p++) {
				out[p] = maxOverTokens(model, sae, hook, stopAtLayer, prompts.get(p), manager);
			}
			return out;
		}
	}

	private static <T extends AutoCloseable> LeasedCache.Lease<T> lease(java.util.function.Supplier<LeasedCache.Lease<T>> taking) {
		try {
			return taking.get();
		}
		catch (SourceUnavailableException ex) {
			throw new IllegalStateException(ex.getMessage() + ", so its prompts cannot be run");
		}
	}

	private static float[] maxOverTokens(LanguageModel model, Sae sae, String hook, int stopAtLayer, String prompt,
			NDManager manager) {
		int[] ids = model.tokenizer().encode(prompt, true);
		int limit = model.config().maxSeqLen();
		if (ids.length > limit) {
			ids = Arrays.copyOf(ids, limit);
		}
		if (ids.length < 2) {
			return new float[sae.config().dSae()]; // nothing but BOS: no activation
		}
		try (NDManager scope = manager.newSubManager()) {
			ForwardResult r = model.run(new int[][] { ids }, null, sae.config().modelProcessing().hooks(model), hook::equals,
					stopAtLayer, scope);
			NDArray x = r.cache().get(hook).toType(DataType.FLOAT32, false); // [1, pos, dIn]
			NDArray f = sae.encode(x); // [1, pos, dSae]
			NDArray afterBos = f.get(new NDIndex("0, 1:, :")); // [pos - 1, dSae]
			return afterBos.max(new int[] { 0 }).toType(DataType.FLOAT32, false).toFloatArray(); // [dSae]
		}
	}
}
