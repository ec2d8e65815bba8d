package dev.lumen.feature;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.lumen.catalog.CatalogModel;
import dev.lumen.catalog.CatalogModelRepository;
import dev.lumen.engine.device.Devices;
import dev.lumen.engine.model.HookNames;
import dev.lumen.engine.model.LanguageModel;
import dev.lumen.engine.sae.Sae;
import dev.lumen.sae.ResolvedSae;
import jakarta.annotation.PreDestroy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * {@link ActivationProbe} on the sae-engine: loads an SAE's model (from {@code model.source}) and weights (from
 * {@code sae.source}) on first use, keeps the {@link #MAX_LOADED} most recently used pairs, and runs the model
 * only up to the SAE's hook. One forward pass at a time per SAE.
 */
@Component
class EngineActivationProbe implements ActivationProbe {

	/** Loaded model + SAE pairs kept in memory; older ones are closed. */
	static final int MAX_LOADED = 2;

	private final Device device;

	/** SAE id → loaded engine, in access order (LRU) */
	private final Map<Long, Loaded> loaded = new LinkedHashMap<>(4, 0.75f, true);

	private final CatalogModelRepository models;

	EngineActivationProbe(@Value("${lumen.probe.device:cpu}") String device, CatalogModelRepository models) {
		this.device = Devices.parse(device);
		this.models = models;
	}

	@Override
	public PromptActivations activations(ResolvedSae sae, String text) {
		Loaded engine = engine(sae);
		synchronized (engine) {
			return engine.run(text);
		}
	}

	private synchronized Loaded engine(ResolvedSae sae) {
		Loaded engine = this.loaded.get(sae.saeId());
		if (engine == null) {
			engine = load(sae);
			this.loaded.put(sae.saeId(), engine);
			while (this.loaded.size() > MAX_LOADED) {
				Long eldest = this.loaded.keySet().iterator().next();
				Loaded evicted = this.loaded.remove(eldest);
				synchronized (evicted) {
					evicted.close();
				}
			}
		}
		return engine;
	}

	private Loaded load(ResolvedSae sae) {
		String modelSource = this.models.findById(sae.modelId()).map(CatalogModel::getSource).orElse("");
		Path model = Path.of(modelSource);
		Path weights = Path.of(sae.sae().getSource());
		if (!Files.exists(model) || !Files.isDirectory(weights)) {
			throw new ProbeUnavailableException("the files of " + sae.modelName() + " / " + sae.saeName()
					+ " are not on this server (model " + model + ", SAE " + weights + ")", null);
		}
		LanguageModel lm = null;
		try {
			lm = LanguageModel.load(model, this.device);
			Sae s = Sae.loadFromDisk(weights, this.device);
			return new Loaded(lm, s, HookNames.validate(sae.sae().getHookName(), lm));
		}
		catch (RuntimeException ex) {
			if (lm != null) {
				lm.close();
			}
			throw new ProbeUnavailableException("cannot load " + sae.modelName() + " / " + sae.saeName() + ": "
					+ ex.getMessage(), ex);
		}
	}

	@PreDestroy
	synchronized void closeAll() {
		this.loaded.values().forEach(Loaded::close);
		this.loaded.clear();
	}

	/** A model and SAE in memory. */
	private static final class Loaded implements AutoCloseable {

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
				NDArray x = this.model.run(new int[][] { ids }, null, List.of(), this.hook::equals, this.stopAtLayer, scope)
					.cache()
					.get(this.hook); // [1, pos, dIn]
				NDArray f = this.sae.encode(x.toType(DataType.FLOAT32, false)); // [1, pos, dSae]
				return new PromptActivations(ids, dSae, f.toType(DataType.FLOAT32, false).toFloatArray(), truncated);
			}
		}

		@Override
		public void close() {
			this.sae.close();
			this.model.close();
		}
	}
}
