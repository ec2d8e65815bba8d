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
 * Models and SAEs loaded from the catalog's source paths, kept for the life of the server and shared by every
 * feature that runs them (playground, prompt analysis, the review prompt filter): loading takes far longer than
 * one request, and the catalog holds few models. Loaded objects are only read (the engine's calls are
 * thread-safe), so concurrent requests share them. Closed when the application stops. The device comes from
 * {@code lumen.engine.device} (default {@code auto}; the older {@code lumen.playground.device} is still read).
 */
@Component
public class LoadedModels {

	private final Device device;

	private final Map<String, LanguageModel> models = new ConcurrentHashMap<>();

	private final Map<String, Sae> saes = new ConcurrentHashMap<>();

	private final Map<String, Optional<ChatTemplate>> chatTemplates = new ConcurrentHashMap<>();

	public LoadedModels(@Value("${lumen.engine.device:${lumen.playground.device:auto}}") String device) {
		this.device = Devices.parse(device);
	}

	/** @throws SourceUnavailableException when the model files are not on this server or cannot be loaded */
	public LanguageModel model(String source) {
		Path path = readable(source, "model");
		return this.models.computeIfAbsent(path.toAbsolutePath().normalize().toString(), key -> {
			try {
				return LanguageModel.load(path, this.device);
			}
			catch (RuntimeException ex) {
				throw new SourceUnavailableException("the model at '" + source + "' cannot be loaded: " + ex.getMessage());
			}
		});
	}

	/** @throws SourceUnavailableException when the SAE files are not on this server or cannot be loaded */
	public Sae sae(String source) {
		Path path = readable(source, "SAE");
		return this.saes.computeIfAbsent(path.toAbsolutePath().normalize().toString(), key -> {
			try {
				return Sae.loadFromDisk(path, this.device);
			}
			catch (Exception ex) {
				throw new SourceUnavailableException("the SAE at '" + source + "' cannot be loaded: " + ex.getMessage());
			}
		});
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
	void close() throws Exception {
		for (Sae sae : this.saes.values()) {
			sae.close();
		}
		for (LanguageModel model : this.models.values()) {
			model.close();
		}
	}
}
