package dev.lumen.catalog;

import ai.djl.Device;
import dev.lumen.engine.device.Devices;
import dev.lumen.engine.generate.ChatTemplate;
import dev.lumen.engine.model.LanguageModel;
import dev.lumen.engine.sae.Sae;
import jakarta.annotation.PreDestroy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Models and SAEs loaded from the catalog's source paths, the server's one cache of them, shared by every feature
 * that runs them (playground, prompt analysis, activation probes, the review prompt filter): loading takes far longer
 * than one request. Callers take a {@link LeasedCache.Lease} for as long as they run the object (try-with-resources);
 * at most {@code lumen.engine.max-loaded} models and as many SAEs stay loaded, the least recently used is evicted, and
 * an evicted object is closed only when its last lease closes. Loaded objects are only read (the engine's calls are
 * thread-safe), so concurrent requests share them. The device comes from {@code lumen.engine.device} (default
 * {@code auto}; the older {@code lumen.playground.device} is still read).
 */
@Component
public class LoadedModels {

	private final Device device;

	private final LeasedCache<LanguageModel> models;

	private final LeasedCache<Sae> saes;

	private final Map<String, Optional<ChatTemplate>> chatTemplates = new ConcurrentHashMap<>();

	public LoadedModels(@Value("${lumen.engine.device:${lumen.playground.device:auto}}") String device,
			@Value("${lumen.engine.max-loaded:4}") int maxLoaded) {
		this.device = Devices.parse(device);
		this.models = new LeasedCache<>(maxLoaded, key -> {
			try {
				return LanguageModel.load(Path.of(key), this.device);
			}
			catch (RuntimeException ex) {
				throw new SourceUnavailableException("the model at '" + key + "' cannot be loaded: " + ex.getMessage());
			}
		});
		this.saes = new LeasedCache<>(maxLoaded, key -> {
			try {
				return Sae.loadFromDisk(Path.of(key), this.device);
			}
			catch (Exception ex) {
				throw new SourceUnavailableException("the SAE at '" + key + "' cannot be loaded: " + ex.getMessage());
			}
		});
	}

	/**
	 * @return a lease on the model at {@code source}; close it when the run ends
	 * @throws SourceUnavailableException when the model files are not on this server or cannot be loaded
	 */
	public LeasedCache.Lease<LanguageModel> model(String source) {
		return this.models.lease(key(readable(source, "model")));
	}

	/**
	 * @return a lease on the SAE at {@code source}; close it when the run ends
	 * @throws SourceUnavailableException when the SAE files are not on this server or cannot be loaded
	 */
	public LeasedCache.Lease<Sae> sae(String source) {
		return this.saes.lease(key(readable(source, "SAE")));
	}

	private static String key(Path path) {
		return path.toAbsolutePath().normalize().toString();
	}

	/**
	 * The chat template of a model: {@code tokenizer_config.json}'s {@code chat_template} in the model's directory
	 * (the source itself, or the directory of a model file), as {@code lumen generate} finds it.
	 * @return the template, or empty for a base model and for a model whose files are not on this server
	 * @throws SourceUnavailableException when tokenizer_config.json is not valid JSON
	 */
	public Optional<ChatTemplate> chatTemplate(String source) {
		Path path = source == null ? null : Path.of(source);
		if (path == null || !Files.exists(path)) {
			return Optional.empty();
		}
		Path dir = Files.isDirectory(path) ? path : path.toAbsolutePath().getParent();
		Path config = dir.resolve("tokenizer_config.json").toAbsolutePath().normalize();
		return this.chatTemplates.computeIfAbsent(config.toString(), key -> {
			try {
				return ChatTemplate.fromTokenizerConfig(config);
			}
			catch (IllegalArgumentException ex) {
				throw new SourceUnavailableException("the chat template of the model at '" + source + "' cannot be read: "
						+ ex.getMessage());
			}
		});
	}

	private static Path readable(String source, String what) {
		Path path = source == null ? null : Path.of(source);
		if (path == null || !Files.exists(path)) {
			throw new SourceUnavailableException("the " + what + " files are not on this server (source '" + source + "')");
		}
		return path;
	}

	@PreDestroy
	void close() {
		this.saes.close();
		this.models.close();
	}
}
