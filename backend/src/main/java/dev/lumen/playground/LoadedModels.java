package dev.lumen.playground;

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
 * Models and SAEs loaded from the catalog's source paths, kept for the life of the server: loading takes far
 * longer than a steered generation, and the catalog holds few models. Loaded objects are only read (the engine's
 * calls are thread-safe), so concurrent generations share them. Closed when the application stops.
 */
@Component
public class LoadedModels {

	private final Device device;

	private final Map<String, LanguageModel> models = new ConcurrentHashMap<>();

	private final Map<String, Sae> saes = new ConcurrentHashMap<>();

	private final Map<String, Optional<ChatTemplate>> chatTemplates = new ConcurrentHashMap<>();

	public LoadedModels(@Value("${lumen.playground.device:auto}") String device) {
		this.device = Devices.parse(device);
	}

	/** @throws PlaygroundException when the model files are not on this server or cannot be loaded */
	public LanguageModel model(String source) {
		Path path = readable(source, "model");
		return this.models.computeIfAbsent(path.toAbsolutePath().normalize().toString(), key -> {
			try {
				return LanguageModel.load(path, this.device);
			}
			catch (RuntimeException ex) {
				throw new PlaygroundException("the model at '" + source + "' cannot be loaded: " + ex.getMessage());
			}
		});
	}

	/** @throws PlaygroundException when the SAE files are not on this server or cannot be loaded */
	public Sae sae(String source) {
		Path path = readable(source, "SAE");
		return this.saes.computeIfAbsent(path.toAbsolutePath().normalize().toString(), key -> {
			try {
				return Sae.loadFromDisk(path, this.device);
			}
			catch (Exception ex) {
				throw new PlaygroundException("the SAE at '" + source + "' cannot be loaded: " + ex.getMessage());
			}
		});
	}

	/**
	 * The chat template of a model: {@code tokenizer_config.json}'s {@code chat_template} in the model's directory
	 * (the source itself, or the directory of a model file), as {@code lumen generate} finds it.
	 * @return the template, or empty for a base model and for a model whose files are not on this server
	 * @throws PlaygroundException when tokenizer_config.json is not valid JSON
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
				throw new PlaygroundException("the chat template of the model at '" + source + "' cannot be read: "
						+ ex.getMessage());
			}
		});
	}

	private static Path readable(String source, String what) {
		Path path = source == null ? null : Path.of(source);
		if (path == null || !Files.exists(path)) {
			throw new PlaygroundException("the " + what + " files are not on this server (source '" + source
					+ "'), so it cannot be steered here");
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
