package dev.lumen.engine.model;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.lumen.engine.kernel.KernelWarmUp;
import dev.lumen.engine.load.Strictness;
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

	/**
	 * Buffers transformers keeps in some checkpoints that hold no weights: causal masks (GPT-2 {@code attn.bias},
	 * {@code attn.masked_bias}, GPT-NeoX {@code attention.bias}/{@code masked_bias}) and cached rotary frequencies,
	 * which Lumen recomputes from the config.
	 */
	static final java.util.regex.Pattern HARMLESS_BUFFERS = java.util.regex.Pattern
		.compile(".*\\.(attn\\.bias|attn\\.masked_bias|attention\\.bias|attention\\.masked_bias|rotary_emb\\.inv_freq)");

	/** @param computeType the dtype to compute in, or null for the device default */
	static LanguageModel load(Path fileOrDir, Device device, DataType computeType) {
		return load(fileOrDir, device, computeType, Strictness.fromSystem());
	}

	/**
	 * @param computeType the dtype to compute in, or null for the device default
	 * @param strictness whether unknown config keys and unused tensors are refused or logged
	 */
	static LanguageModel load(Path fileOrDir, Device device, DataType computeType, Strictness strictness) {
		if (!Files.exists(fileOrDir)) {
			throw new ModelLoadException(fileOrDir + ": no such file or directory");
		}
		return Files.isDirectory(fileOrDir) ? loadHf(fileOrDir, device, computeType, strictness)
				: loadLlama2c(fileOrDir, device, computeType);
	}

	private static LanguageModel loadLlama2c(Path file, Device device, DataType computeType) {
		LlamaCheckpoint ckpt = LlamaCheckpoint.read(file);
		ModelConfig config = ckpt.config();
		Tokenizer tokenizer = tokenizer(() -> Tokenizers.forLlama2cCheckpoint(file, config.vocabSize()));
		return build(config, ckpt, tokenizer, device, computeType, file.toString());
	}

	private static LanguageModel loadHf(Path dir, Device device, DataType computeType, Strictness strictness) {
		Path configFile = dir.resolve("config.json");
		if (!Files.isRegularFile(configFile)) {
			throw new ModelLoadException(dir + ": no config.json (expected a Hugging Face model directory)");
		}
		ModelConfig config = HfConfig.read(configFile, strictness);
		SafetensorsSource weights = SafetensorsSource.open(dir);
		try {
			Tokenizer tokenizer = tokenizer(() -> Tokenizers.forHfDirectory(dir, config.bosId(), config.eosId()));
			if (tokenizer.vocabSize() > config.vocabSize()) {
				int size = tokenizer.vocabSize();
				tokenizer.close();
				throw new ModelLoadException(dir + ": tokenizer defines " + size + " tokens but the model's vocab_size is "
						+ config.vocabSize() + " (tokenizer of another model?)");
			}
			LanguageModel model = build(config, weights, tokenizer, device, computeType, dir.toString());
			try {
				checkAllTensorsRead(weights, strictness);
			}
			catch (RuntimeException ex) {
				model.close();
				throw ex;
			}
			return model;
		}
		finally {
			weights.close();
		}
	}

	/** Every stored tensor is either read or a known buffer; anything else means the file holds more than Lumen computes. */
	private static void checkAllTensorsRead(SafetensorsSource weights, Strictness strictness) {
		java.util.List<String> unused = weights.unread().stream().filter(n -> !HARMLESS_BUFFERS.matcher(n).matches()).toList();
		if (!unused.isEmpty()) {
			strictness.refuse(weights.describeFiles() + ": " + unused.size() + " tensor(s) are not used by Lumen's "
					+ "computation of this config: " + unused + " (known harmless buffers: attn.bias, attn.masked_bias, "
					+ "attention.bias, attention.masked_bias, rotary_emb.inv_freq)", ModelLoadException::new);
		}
	}

	private static Tokenizer tokenizer(java.util.function.Supplier<Tokenizer> loader) {
		try {
			return loader.get();
		}
		catch (TokenizerException ex) {
			throw new ModelLoadException(ex.getMessage(), ex);
		}
	}

	private static LanguageModel build(ModelConfig config, TensorSource source, Tokenizer tokenizer, Device device,
			DataType computeType, String where) {
		DataType dtype = computeType != null ? computeType : computeType(source.storedType(), device);
		if (JvmDecoder.supports(config, device, dtype)) {
			KernelWarmUp.startOnce(); // compiled by the time batch-1 decoding starts, not during its first tokens
		}
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

	/**
	 * f16 weights stay f16 on GPU; on CPU everything is widened to float32 (fast and exact there). bf16
	 * is widened everywhere: DJL 0.36's PyTorch engine aborts the JVM on any bf16 tensor, and casting to
	 * f16 could overflow (bf16 has float32's range).
	 */
	static DataType computeType(SafetensorsDType stored, Device device) {
		return device.isGpu() && stored == SafetensorsDType.F16 ? DataType.FLOAT16 : DataType.FLOAT32;
	}
}
