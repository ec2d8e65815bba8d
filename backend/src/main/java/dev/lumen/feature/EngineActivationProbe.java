package dev.lumen.feature;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.lumen.catalog.CatalogModel;
import dev.lumen.catalog.CatalogModelRepository;
import dev.lumen.catalog.LeasedCache;
import dev.lumen.catalog.LoadedModels;
import dev.lumen.catalog.SourceUnavailableException;
import dev.lumen.engine.model.HookNames;
import dev.lumen.engine.model.LanguageModel;
import dev.lumen.engine.sae.Sae;
import dev.lumen.sae.ResolvedSae;
import java.util.Arrays;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * {@link ActivationProbe} on the sae-engine: leases the SAE's model (from {@code model.source}) and weights (from
 * {@code sae.source}) from the server's one model cache ({@link LoadedModels}) for the length of a forward pass, and
 * runs the model only up to the SAE's hook. How many run at once is bounded by the callers' {@code ModelWork} slots.
 */
@Component
class EngineActivationProbe implements ActivationProbe {

	private final LoadedModels loaded;

	private final CatalogModelRepository models;

	EngineActivationProbe(LoadedModels loaded, CatalogModelRepository models) {
		this.loaded = loaded;
		this.models = models;
	}

	@Override
	public PromptActivations activations(ResolvedSae sae, String text) {
		String modelSource = this.models.findById(sae.modelId()).map(CatalogModel::getSource).orElse("");
		try (LeasedCache.Lease<LanguageModel> model = this.loaded.model(modelSource);
				LeasedCache.Lease<Sae> weights = this.loaded.sae(sae.sae().getSource())) {
			Loaded engine;
			try {
				engine = new Loaded(model.get(), weights.get(), HookNames.validate(sae.sae().getHookName(), model.get()));
			}
			catch (RuntimeException ex) {
				throw new ProbeUnavailableException("cannot run " + sae.modelName() + " / " + sae.saeName() + ": "
						+ ex.getMessage(), ex);
			}
			return engine.run(text);
		}
		catch (SourceUnavailableException ex) {
			throw new ProbeUnavailableException("the files of " + sae.modelName() + " / " + sae.saeName()
					+ " are not on this server: " + ex.getMessage(), ex);
		}
	}

	/** A leased model and SAE, with where to stop the forward pass. */
	private static final class Loaded {

		private final LanguageModel model;

		private final Sae sae;

		private final String hook;

		private final int stopAtLayer;

		Loaded(LanguageModel model, Sae sae, String hook) {
			this.model = model;
			this.sae = sae;
			this.hook = hook;
			// blocks after the hook cannot change it: skip them (-1 runs everything, for ln_final)
			int layer = HookNames.layerOf(hook);
			this.stopAtLayer = layer < 0 ? -1 : Math.min(layer, model.config().nLayers() - 1);
		}

		PromptActivations run(String text) {
			String capped = text.length() > MAX_TEXT_CHARS ? text.substring(0, MAX_TEXT_CHARS) : text;
			int[] ids = this.model.tokenizer().encode(capped, true);
			int maxTokens = Math.min(MAX_TOKENS, this.model.config().maxSeqLen());
			boolean truncated = capped.length() < text.length() || ids.length > maxTokens;
			if (ids.length > maxTokens) {
				ids = Arrays.copyOf(ids, maxTokens);
			}
			if (ids.length == 0) {
				ids = new int[] { Math.max(0, this.model.tokenizer().bosId()) };
			}
			int dSae = this.sae.config().dSae();
			try (NDManager scope = NDManager.newBaseManager(this.model.device())) {
				NDArray x = this.model.run(new int[][] { ids }, null, this.sae.config().modelProcessing().hooks(this.model),
						this.hook::equals, this.stopAtLayer, scope)
					.cache()
					.get(this.hook); // [1, pos, dIn]
				NDArray f = this.sae.encode(x.toType(DataType.FLOAT32, false)); // [1, pos, dSae]
				return new PromptActivations(ids, dSae, f.toType(DataType.FLOAT32, false).toFloatArray(), truncated);
			}
		}
	}
}
