package dev.lumen.engine.sae;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A sparse autoencoder over one hook's activations: {@code encode} maps activations to feature activations and
 * {@code decode} maps them back, as in SAELens:
 * <pre>
 * f    = act((x − b_dec·[apply_b_dec_to_input]) · W_enc + b_enc)
 * x̂    = f · W_dec + b_dec
 * </pre>
 * Each architecture ({@link StandardSae}, {@link JumpReluSae}, {@link TopKSae}, {@link BatchTopKSae}) supplies
 * {@code act}. Results of {@code encode}/{@code decode} belong to the manager of the input array; the weights
 * belong to the SAE, which must be closed.
 */
public interface Sae extends AutoCloseable {

	/** @return the configuration this SAE was built from */
	SaeConfig config();

	/**
	 * Encodes activations to feature activations.
	 * @param x activations, shape [..., dIn]
	 * @return feature activations, shape [..., dSae], owned by {@code x}'s manager
	 */
	NDArray encode(NDArray x);

	/**
	 * Encodes one activation vector on the host, without native calls: the same function as {@link #encode} up to
	 * float rounding, for per-token work such as steering on the engine's plain-Java decoder. The first call
	 * copies the encoder weights to the Java heap.
	 * @param x activations, [dIn], only read
	 * @param f receives the feature activations, [dSae]
	 */
	void encodeInto(float[] x, float[] f);

	/**
	 * Decodes feature activations to a reconstruction.
	 * @param f feature activations, shape [..., dSae]
	 * @return reconstruction, shape [..., dIn], owned by {@code f}'s manager
	 */
	NDArray decode(NDArray f);

	/**
	 * Reconstructs activations: {@code decode(encode(x))}.
	 * @param x activations, shape [..., dIn]
	 * @return reconstruction, shape [..., dIn], owned by {@code x}'s manager
	 */
	NDArray forward(NDArray x);

	/**
	 * @param feature feature index in [0, dSae)
	 * @param manager owner of the result
	 * @return the feature's decoder direction, shape [dIn]
	 */
	NDArray decoderRow(int feature, NDManager manager);

	/**
	 * @param feature feature index in [0, dSae)
	 * @return a copy of the feature's decoder direction, length dIn
	 */
	float[] decoderVector(int feature);

	/** @return a host copy of the weights (after any folding done at load time) */
	SaeParameters parameters();

	/**
	 * Writes {@code cfg.json} and {@code sae_weights.safetensors} in SAELens format; the files appear complete or
	 * not at all.
	 * @param directory target directory, created if needed
	 */
	default void save(Path directory) throws IOException {
		SaeFiles.save(directory, config(), parameters());
	}

	/** Frees the weights' native memory. */
	@Override
	void close();

	/**
	 * Loads a SAELens-format SAE directory ({@code cfg.json} + {@code sae_weights.safetensors}).
	 * @param directory the SAE directory
	 * @param device where the weights go
	 * @throws SaeFormatException naming the file and what was expected when the files are missing, malformed, or
	 *     disagree with each other
	 */
	static Sae loadFromDisk(Path directory, Device device) {
		return SaeFiles.load(directory, device);
	}

	/**
	 * Loads an SAE directory with an explicit strictness: {@link dev.lumen.engine.load.Strictness#LENIENT} logs
	 * unknown cfg.json keys and unused tensors instead of refusing them ({@link #loadFromDisk(Path, Device)} follows
	 * {@code -Dlumen.engine.lenient}). Options Lumen cannot compute are refused either way.
	 */
	static Sae loadFromDisk(Path directory, Device device, dev.lumen.engine.load.Strictness strictness) {
		return SaeFiles.load(directory, device, strictness);
	}

	/**
	 * Builds the SAE class for the config's architecture from host weights.
	 * @throws IllegalArgumentException when the weights do not match the config
	 */
	static Sae create(SaeConfig config, SaeParameters parameters, Device device) {
		parameters.validate(config);
		return switch (config.architecture()) {
			case STANDARD -> new StandardSae(config, parameters, device);
			case JUMPRELU -> new JumpReluSae(config, parameters, device);
			case TOPK -> new TopKSae(config, parameters, device);
			case BATCHTOPK -> new BatchTopKSae(config, parameters, device);
		};
	}
}
