package dev.lumen.interop;

import dev.lumen.catalog.CatalogModel;
import dev.lumen.catalog.CatalogModelRepository;
import dev.lumen.catalog.CatalogSae;
import dev.lumen.catalog.CatalogSaeRepository;
import dev.lumen.catalog.ReservedNames;
import dev.lumen.catalog.SaeRegistrar;
import dev.lumen.engine.sae.SaeConfig;
import dev.lumen.engine.sae.SaeConfigJson;
import dev.lumen.engine.sae.SaeFiles;
import dev.lumen.engine.sae.SaeParameters;
import dev.lumen.feature.DecoderVectorWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;

/**
 * Finds or creates the model and SAE an import goes into. A model Lumen does not know is created from its
 * Hugging Face {@code config.json} with an <em>imported vocabulary</em> (token strings from the files, ids of
 * Lumen's own) and no runnable source; an SAE it does not know is created from its SAELens {@code cfg.json},
 * with its decoder vectors when {@code sae_weights.safetensors} lies next to it.
 */
@Component
class ImportTargets {

	/** The model config key that marks a vocabulary made of imported token strings. */
	static final String IMPORTED_VOCABULARY = "lumen_vocabulary";

	private final CatalogModelRepository models;

	private final CatalogSaeRepository saes;

	private final SaeRegistrar registrar;

	private final DecoderVectorWriter decoders;

	ImportTargets(CatalogModelRepository models, CatalogSaeRepository saes, SaeRegistrar registrar,
			DecoderVectorWriter decoders) {
		this.models = models;
		this.saes = saes;
		this.registrar = registrar;
		this.decoders = decoders;
	}

	/** Where the features go, and whether the model's vocabulary may grow by the files' token strings. */
	record Target(CatalogModel model, CatalogSae sae, boolean importedVocabulary) {
	}

	/**
	 * @param modelConfig a Hugging Face config.json, needed only when the model is new
	 * @param saeDir a SAELens directory, needed only when the SAE is new
	 * @param sourceLabel how the new model's source reads, e.g. {@code saedashboard:gpt2-small}
	 * @param layer the layer the files are for, or null; an SAE hooked elsewhere is refused (and a new one not kept)
	 */
	@Transactional
	public Target resolve(String modelName, String saeName, Path modelConfig, Path saeDir, String sourceLabel,
			Integer layer) {
		CatalogModel model = this.models.findByName(modelName).orElseGet(() -> createModel(modelName, modelConfig,
				sourceLabel));
		CatalogSae sae = this.saes.findByModelNameAndName(modelName, saeName)
			.orElseGet(() -> createSae(model, saeName, saeDir));
		if (layer != null && layer != sae.getHookLayer()) {
			throw new IllegalArgumentException("the files are for layer " + layer + " but SAE '" + saeName + "' hooks "
					+ sae.getHookName() + " (layer " + sae.getHookLayer() + "); is this the right --sae / --sae-dir?");
		}
		boolean imported = model.getConfig() != null && model.getConfig().contains("\"" + IMPORTED_VOCABULARY + "\"");
		return new Target(model, sae, imported);
	}

	private CatalogModel createModel(String name, Path config, String sourceLabel) {
		if (config == null) {
			throw new IllegalArgumentException("model '" + name + "' is not in Lumen's catalog: pass --model-config "
					+ "with its Hugging Face config.json (d_model, layers and vocabulary size are read from it), or "
					+ "register the model first (lumen extract)");
		}
		if (ReservedNames.isReserved(name)) {
			throw new IllegalArgumentException("model name '" + name + "' is a page of the app itself; choose another --model");
		}
		JsonNode root = readJson(config);
		int dModel = requiredInt(config, root, "hidden_size", "n_embd", "d_model");
		int layers = requiredInt(config, root, "num_hidden_layers", "n_layer", "n_layers");
		int vocab = requiredInt(config, root, "vocab_size");
		String arch = root.path("architectures").path(0).asString("unknown");
		CatalogModel m = new CatalogModel(name, name, sourceLabel, arch, dModel, layers, vocab);
		Map<String, Object> cfg = new LinkedHashMap<>();
		cfg.put(IMPORTED_VOCABULARY, "imported");
		cfg.put("hf_config", DashboardBatchReader.JSON.convertValue(root, Map.class));
		m.setConfig(DashboardBatchReader.JSON.writeValueAsString(cfg));
		return this.models.save(m);
	}

	private CatalogSae createSae(CatalogModel model, String name, Path dir) {
		if (dir == null) {
			throw new IllegalArgumentException("SAE '" + name + "' is not registered on model '" + model.getName()
					+ "': pass --sae-dir with its SAELens cfg.json (and sae_weights.safetensors to link the weights, "
					+ "which nearest features, test-on-text and steering need)");
		}
		Path cfgFile = dir.resolve(SaeFiles.CONFIG);
		if (!Files.isRegularFile(cfgFile)) {
			throw new IllegalArgumentException(dir + " has no " + SaeFiles.CONFIG + " (a SAELens directory is needed)");
		}
		SaeConfig c = SaeConfigJson.read(cfgFile);
		boolean weights = Files.isRegularFile(dir.resolve(SaeFiles.WEIGHTS));
		CatalogSae row = new CatalogSae(model, name, c.hookName(), c.hookLayer(), c.dIn(), c.dSae(),
				c.architecture().id(), dir.toAbsolutePath().normalize().toString());
		Map<String, Object> config = new LinkedHashMap<>(DashboardBatchReader.JSON.convertValue(readJson(cfgFile), Map.class));
		config.put("lumen_weights_linked", weights);
		row.setConfig(DashboardBatchReader.JSON.writeValueAsString(config));
		if (!weights) {
			return this.registrar.register(row);
		}
		SaeParameters p = SaeFiles.readParameters(dir);
		float[][] rows = new float[c.dSae()][];
		for (int f = 0; f < c.dSae(); f++) {
			rows[f] = java.util.Arrays.copyOfRange(p.wDec(), f * c.dIn(), (f + 1) * c.dIn()); // W_dec [dSae, dIn]
		}
		// decoders first, then one bulk HNSW build (as extraction registers SAEs)
		return this.registrar.register(row, saved -> this.decoders.insert(saved, 0, rows));
	}

	private static JsonNode readJson(Path file) {
		try {
			return DashboardBatchReader.JSON.readTree(Files.readString(file));
		}
		catch (IOException | tools.jackson.core.JacksonException ex) {
			throw new InteropFormatException(file + " is not valid JSON: " + ex.getMessage(), ex);
		}
	}

	private static int requiredInt(Path file, JsonNode root, String... keys) {
		for (String k : keys) {
			if (root.path(k).isInt()) {
				return root.path(k).asInt();
			}
		}
		throw new InteropFormatException(file + " lacks " + String.join(" / ", keys));
	}
}
