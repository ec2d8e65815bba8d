package dev.lumen.catalog;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lumen.engine.model.LanguageModel;
import dev.lumen.engine.model.ModelConfig;
import dev.lumen.engine.sae.Sae;
import dev.lumen.engine.sae.SaeConfig;
import dev.lumen.feature.DecoderVectorWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Registers a loaded model and SAE in the catalog: the rows, the SAE's decoder vectors (COPY) and its HNSW
 * index. Registering the same SAE again reuses what is there; a different SAE under a taken name is refused.
 */
@Service
public class CatalogImporter {

	private static final ObjectMapper JSON = new ObjectMapper();

	/** Decoder rows registered per COPY batch. */
	private static final int DECODER_BLOCK = 8192;


	private final CatalogModelRepository models;

	private final CatalogSaeRepository saes;

	private final SaeRegistrar registrar;

	private final DecoderVectorWriter decoders;

	public CatalogImporter(CatalogModelRepository models, CatalogSaeRepository saes, SaeRegistrar registrar,
			DecoderVectorWriter decoders) {
		this.models = models;
		this.saes = saes;
		this.registrar = registrar;
		this.decoders = decoders;
	}

	/** @return a URL slug from a file or directory name, e.g. {@code tinystories-1m} */
	public static String slug(String name) {
		String s = name.toLowerCase(Locale.ROOT).replaceAll("\\.(bin|safetensors)$", "").replaceAll("[^a-z0-9._-]+", "-")
			.replaceAll("^[^a-z0-9]+", "");
		if (s.isEmpty()) {
			throw new IllegalArgumentException("cannot make a URL name from '" + name + "'; pass one explicitly");
		}
		return s.length() > 100 ? s.substring(0, 100) : s;
	}

	/** Finds or creates the model's row. */
	@Transactional
	public CatalogModel importModel(LanguageModel model, String name) {
		if (ReservedNames.isReserved(name)) {
			throw new IllegalArgumentException("model name '" + name + "' is a page of the app itself (reserved: "
					+ ReservedNames.PATTERN.replace("|", ", ").replace("\\", "") + "); choose another --model-name");
		}
		ModelConfig c = model.config();
		// absolute, so pages that run the model find it whatever directory the server starts in
		String source = java.nio.file.Path.of(model.source()).toAbsolutePath().normalize().toString();
		return this.models.findByName(name).map(existing -> {
			if (existing.getDModel() != c.dModel() || existing.getNLayers() != c.nLayers()
					|| existing.getVocabSize() != c.vocabSize()) {
				throw new IllegalArgumentException("model name '" + name + "' is already registered for another model (d_model "
						+ existing.getDModel() + ", " + existing.getNLayers() + " layers, vocab " + existing.getVocabSize()
						+ "); this one has d_model " + c.dModel() + ", " + c.nLayers() + " layers, vocab " + c.vocabSize()
						+ ": choose another --model-name");
			}
			existing.setSource(source); // the files may have moved since (a new clone, another machine)
			return existing;
		}).orElseGet(() -> {
			CatalogModel m = new CatalogModel(name, name, source, c.architecture().hfName(), c.dModel(), c.nLayers(),
					c.vocabSize());
			m.setConfig(json(c));
			return this.models.save(m);
		});
	}

	/**
	 * Finds or registers the SAE, with its decoder vectors.
	 * @param directory the SAELens directory it was loaded from (cfg.json, eval.json and training.json are stored)
	 */
	@Transactional
	public CatalogSae importSae(CatalogModel model, Sae sae, Path directory, String name) {
		SaeConfig c = sae.config();
		String weightsId = weightsId(directory);
		return this.saes.findByModelNameAndName(model.getName(), name).map(existing -> {
			if (existing.getDIn() != c.dIn() || existing.getDSae() != c.dSae() || !existing.getHookName().equals(c.hookName())
					|| !existing.getConfig().contains(weightsId)) {
				throw new IllegalArgumentException("SAE name '" + name + "' on model '" + model.getName()
						+ "' is already registered for other weights (" + existing.getHookName() + ", d_sae "
						+ existing.getDSae() + "); choose another --sae-name");
			}
			existing.setSource(directory.toAbsolutePath().normalize().toString());
			return existing;
		}).orElseGet(() -> {
			CatalogSae row = new CatalogSae(model, name, c.hookName(), c.hookLayer(), c.dIn(), c.dSae(),
					c.architecture().id(), directory.toAbsolutePath().toString());
			Map<String, Object> config = new LinkedHashMap<>(readJson(directory.resolve("cfg.json")));
			config.put("lumen_weights_id", weightsId);
			row.setConfig(json(config));
			Map<String, Object> eval = readJson(directory.resolve("eval.json"));
			if (!eval.isEmpty()) {
				row.setEvalStats(json(eval));
			}
			Map<String, Object> training = readJson(directory.resolve("training.json"));
			if (!training.isEmpty()) {
				row.setTrainingStats(json(training));
			}
			// decoder rows go in before the HNSW index is built, in blocks so a wide SAE never sits in memory twice
			return this.registrar.register(row, saved -> {
				for (int from = 0; from < c.dSae(); from += DECODER_BLOCK) {
					float[][] rows = new float[Math.min(DECODER_BLOCK, c.dSae() - from)][];
					for (int i = 0; i < rows.length; i++) {
						rows[i] = sae.decoderVector(from + i);
					}
					this.decoders.insert(saved, from, rows);
				}
			});
		});
	}

	/** Identifies the weights by content, so a retrained SAE is never mistaken for the registered one. */
	static String weightsId(Path directory) {
		Path weights = directory.resolve("sae_weights.safetensors");
		try (var in = Files.newInputStream(weights)) {
			java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
			byte[] buf = new byte[1 << 16];
			for (int n; (n = in.read(buf)) > 0;) {
				sha.update(buf, 0, n);
			}
			return "sha256:" + java.util.HexFormat.of().formatHex(sha.digest());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot read " + weights, ex);
		}
		catch (java.security.NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> readJson(Path file) {
		if (!Files.isRegularFile(file)) {
			return Map.of();
		}
		try {
			return JSON.readValue(file.toFile(), Map.class);
		}
		catch (IOException ex) {
			throw new IllegalArgumentException(file + " is not valid JSON: " + ex.getMessage(), ex);
		}
	}

	private static String json(Object value) {
		try {
			return JSON.writeValueAsString(value);
		}
		catch (IOException ex) {
			throw new IllegalStateException("cannot write JSON: " + ex.getMessage(), ex);
		}
	}
}
