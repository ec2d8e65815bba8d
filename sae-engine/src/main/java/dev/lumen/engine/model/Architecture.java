package dev.lumen.engine.model;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The transformer families the engine runs. Each constant fixes the structural choices of its family
 * (normalisation, MLP activation, residual wiring); sizes come from {@link ModelConfig}.
 */
public enum Architecture {

	/** Llama 2/3, TinyLlama, SmolLM and llama2.c checkpoints: RMSNorm, SwiGLU, rotary. */
	LLAMA("LlamaForCausalLM", NormKind.RMS, Activation.SILU, true, false, false, false, false),

	/** GPT-2: LayerNorm, GELU (tanh approximation), learned positions, Conv1D weights. */
	GPT2("GPT2LMHeadModel", NormKind.LAYER, Activation.GELU_TANH, false, false, true, false, false),

	/** Pythia / GPT-NeoX: LayerNorm, exact GELU, parallel attention + MLP, partial rotary. */
	GPT_NEOX("GPTNeoXForCausalLM", NormKind.LAYER, Activation.GELU, false, true, false, false, false),

	/** Gemma 2: RMSNorm with (1 + w), GeGLU, pre+post norms, scaled embeddings, soft-capping. */
	GEMMA2("Gemma2ForCausalLM", NormKind.RMS_PLUS_ONE, Activation.GELU_TANH, true, false, false, true, true);

	/** How a normalisation layer scales its input. */
	public enum NormKind {
		/** {@code x / rms(x) * w} */
		RMS,
		/** {@code x / rms(x) * (1 + w)} (Gemma) */
		RMS_PLUS_ONE,
		/** {@code (x - mean) / std * w + b} */
		LAYER
	}

	/** MLP non-linearities. */
	public enum Activation {
		/** x * sigmoid(x) */
		SILU,
		/** exact erf GELU */
		GELU,
		/** GELU, tanh approximation ("gelu_new", "gelu_pytorch_tanh") */
		GELU_TANH
	}

	private final String hfName;

	private final NormKind norm;

	private final Activation activation;

	private final boolean gatedMlp;

	private final boolean parallelAttnMlp;

	private final boolean learnedPositions;

	private final boolean postNorms;

	private final boolean scaledEmbedding;

	Architecture(String hfName, NormKind norm, Activation activation, boolean gatedMlp, boolean parallelAttnMlp,
			boolean learnedPositions, boolean postNorms, boolean scaledEmbedding) {
		this.hfName = hfName;
		this.norm = norm;
		this.activation = activation;
		this.gatedMlp = gatedMlp;
		this.parallelAttnMlp = parallelAttnMlp;
		this.learnedPositions = learnedPositions;
		this.postNorms = postNorms;
		this.scaledEmbedding = scaledEmbedding;
	}

	/** @return the {@code architectures[0]} value of a Hugging Face config.json */
	public String hfName() {
		return this.hfName;
	}

	/** @return the normalisation used before attention, MLP and unembedding */
	public NormKind norm() {
		return this.norm;
	}

	/** @return the MLP activation */
	public Activation activation() {
		return this.activation;
	}

	/** @return true when the MLP is {@code down(act(gate(x)) * up(x))} */
	public boolean gatedMlp() {
		return this.gatedMlp;
	}

	/**
	 * @return true when attention and MLP both read the block input by default (GPT-NeoX); a config may say
	 * otherwise, see {@link ModelConfig#parallelResidual()}
	 */
	public boolean parallelAttnMlp() {
		return this.parallelAttnMlp;
	}

	/** @return true for a learned absolute position embedding (GPT-2) instead of rotary */
	public boolean learnedPositions() {
		return this.learnedPositions;
	}

	/** @return true when attention and MLP outputs are normalised again before the residual add (Gemma 2) */
	public boolean postNorms() {
		return this.postNorms;
	}

	/** @return true when token embeddings are multiplied by sqrt(dModel) (Gemma) */
	public boolean scaledEmbedding() {
		return this.scaledEmbedding;
	}

	/**
	 * Finds the architecture for a Hugging Face class name.
	 * @throws IllegalArgumentException listing the supported names
	 */
	public static Architecture fromHfName(String name) {
		for (Architecture a : values()) {
			if (a.hfName.equals(name)) {
				return a;
			}
		}
		throw new IllegalArgumentException("unsupported architecture '" + name + "'; supported: "
				+ Arrays.stream(values()).map(Architecture::hfName).collect(Collectors.joining(", ")));
	}
}
