package dev.lumen.engine.model;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.lumen.engine.safetensors.SafetensorsDType;
import dev.lumen.engine.tokenizer.Tokenizer;
import dev.lumen.engine.tokenizer.TokenizerException;
import dev.lumen.engine.tokenizer.Tokenizers;
import java.nio.file.Files;
import java.nio.file.Path;

/** Chooses the checkpoint reader and tokenizer for a path and builds the {@link LanguageModel}. */
final class ModelLoader {

	private ModelLoader() {
	}

	static LanguageModel load(Path fileOrDir, Device device) {
		if (!Files.exists(fileOrDir)) {
			throw new ModelLoadException(fileOrDir + ": no such file or directory");
		}
		return Files.isDirectory(fileOrDir) ? loadHf(fileOrDir, device) : loadLlama2c(fileOrDir, device);
	}

	private static LanguageModel loadLlama2c(Path file, Device device) {
		LlamaCheckpoint ckpt = LlamaCheckpoint.read(file);
		ModelConfig config = ckpt.config();
		Tokenizer tokenizer = tokenizer(() -> Tokenizers.forLlama2cCheckpoint(file, config.vocabSize()), file);
		return build(config, ckpt, tokenizer, device, file.toString());
	}

	private static LanguageModel loadHf(Path dir, Device device) {
		Path configFile = dir.resolve("config.json");
		if (!Files.isRegularFile(configFile)) {
			throw new ModelLoadException(dir + ": no config.json (expected a Hugging Face model directory)");
		}
		ModelConfig config = HfConfig.read(configFile);
		SafetensorsSource weights = SafetensorsSource.open(dir);
		try {
			Tokenizer tokenizer = tokenizer(() -> Tokenizers.forHfDirectory(dir, config.bosId(), config.eosId()), dir);
			if (tokenizer.vocabSize() > config.vocabSize()) {
				int size = tokenizer.vocabSize();
				tokenizer.close();
				throw new ModelLoadException(dir + ": tokenizer defines " + size + " tokens but the model's vocab_size is "
						+ config.vocabSize() + " (tokenizer of another model?)");
			}
			return build(config, weights, tokenizer, device, dir.toString());
		}
		finally {
			weights.close();
		}
	}

	private static Tokenizer tokenizer(java.util.function.Supplier<Tokenizer> loader, Path where) {
		try {
			return loader.get();
		}
		catch (TokenizerException ex) {
			throw new ModelLoadException(ex.getMessage(), ex);
		}
	}

	private static LanguageModel build(ModelConfig config, TensorSource source, Tokenizer tokenizer, Device device,
			String where) {
		DataType dtype = computeType(source.storedType(), device);
		NDManager manager = NDManager.newBaseManager(device);
		try {
			ModelWeights weights = HfWeights.load(config, new WeightFactory(source, manager, dtype));
			return new LanguageModel(config, tokenizer, manager, weights, dtype, where);
		}
		catch (RuntimeException ex) {
			manager.close();
			tokenizer.close();
			throw ex;
		}
	}

	/** Narrow weights stay narrow on GPU; on CPU everything is widened to float32 (fast and exact there). */
	static DataType computeType(SafetensorsDType stored, Device device) {
		if (!device.isGpu()) {
			return DataType.FLOAT32;
		}
		return switch (stored) {
			case BF16 -> DataType.BFLOAT16;
			case F16 -> DataType.FLOAT16;
			default -> DataType.FLOAT32;
		};
	}
}
