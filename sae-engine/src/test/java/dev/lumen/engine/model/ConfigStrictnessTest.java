package dev.lumen.engine.model;

import static dev.lumen.engine.model.ReferenceLibFixtures.maxAbsDiff;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lumen.engine.load.Strictness;
import dev.lumen.engine.model.ReferenceLibFixtures.Reference;
import dev.lumen.engine.safetensors.SafetensorsFile;
import dev.lumen.engine.safetensors.SafetensorsWriter;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every config key Lumen reads changes the numbers when read wrongly, and everything it does not read is refused
 * (or logged with {@link Strictness#LENIENT}). The files are the ones transformers 5 wrote, edited one key at a time.
 */
class ConfigStrictnessTest {

	private static final ObjectMapper JSON = new ObjectMapper();

	@TempDir
	Path tmp;

	/** A copy of the fixture with {@code path} (dotted, e.g. rope_parameters.factor) set to {@code json}, or removed for "-". */
	private Path edited(String fixture, String path, String json) throws IOException {
		Path dir = ReferenceLibFixtures.copy(fixture, this.tmp);
		Path file = dir.resolve("config.json");
		ObjectNode root = (ObjectNode) JSON.readTree(file.toFile());
		ObjectNode parent = root;
		String[] parts = path.split("\\.");
		for (int i = 0; i < parts.length - 1; i++) {
			parent = (ObjectNode) parent.get(parts[i]);
		}
		if (json.equals("-")) {
			parent.remove(parts[parts.length - 1]);
		}
		else {
			parent.set(parts[parts.length - 1], JSON.readTree(json));
		}
		JSON.writeValue(file.toFile(), root);
		return dir;
	}

	private static float[] logits(LanguageModel model, int[] tokens) {
		try (NDManager m = NDManager.newBaseManager()) {
			return model.forward(m.create(new int[][] { tokens })).toFloatArray();
		}
	}

	@ParameterizedTest(name = "{0}: {1} = {2}")
	@CsvSource(delimiter = '|', value = { "llama-tf5|rope_parameters.rope_theta|10000.0",
			"llama-tf5|rope_parameters.factor|2.0", "llama-tf5|rope_parameters.low_freq_factor|2.0",
			"llama-tf5|rope_parameters.high_freq_factor|8.0",
			"llama-tf5|rope_parameters.original_max_position_embeddings|4",
			"llama-tf5|rope_parameters.rope_type|\"default\"", "llama-tf5|rms_norm_eps|0.5",
			"llama-tf5|attention_bias|false", "llama-tf5|mlp_bias|false", "llama-tf5|hidden_act|\"silu\"",
			"llama-tf4-layout|rope_theta|10000.0", "llama-tf4-layout|rope_scaling.factor|2.0",
			"llama-linear-tied|rope_parameters.factor|1.0", "llama-yarn|rope_parameters.factor|2.0",
			"llama-yarn|rope_parameters.beta_fast|4", "llama-yarn|rope_parameters.beta_slow|8",
			"llama-yarn|rope_parameters.attention_factor|1.5", "llama-yarn|rope_parameters.truncate|false",
			"llama-yarn|rope_parameters.mscale|2.0", "llama-yarn|rope_parameters.mscale_all_dim|2.0",
			"neox-sequential|use_parallel_residual|true", "neox-sequential|rope_parameters.partial_rotary_factor|1.0",
			"neox-sequential|layer_norm_eps|0.5", "neox-parallel|use_parallel_residual|false",
			"neox-parallel|rope_parameters.rope_theta|10000.0", "neox-tf4-layout|rotary_pct|0.5",
			"neox-tf4-layout|rotary_emb_base|10000.0", "gpt2|layer_norm_epsilon|0.5",
			"gemma2|query_pre_attn_scalar|48", "gemma2|attn_logit_softcapping|1.0", "gemma2|final_logit_softcapping|1.0",
			"gemma2|sliding_window|2", "gemma2|rope_parameters.rope_theta|100.0", "gemma2|rms_norm_eps|0.5" })
	void aWrongReadingOfTheKeyWouldChangeTheLogits(String fixture, String key, String value) throws IOException {
		Reference ref = Reference.of(fixture);
		Path dir = edited(fixture, key, value);
		// controls: the value the file already has, and mscale or mscale_all_dim alone, which transformers ignores
		boolean same = value.equals("\"silu\"") || key.contains("mscale");
		// lenient, so that an edit that leaves tensors unread (a bias switched off) still loads and computes
		try (LanguageModel model = LanguageModel.load(dir, Device.cpu(), null, Strictness.LENIENT)) {
			float diff = maxAbsDiff(logits(model, ref.tokens()), ref.logits());
			if (same) {
				assertThat(diff).isLessThan(1e-4f);
			}
			else {
				assertThat(diff).as("logits move when %s is read as %s", key, value).isGreaterThan(1e-2f);
			}
		}
	}

	@Test
	void anUnknownKeyIsRefusedNamingTheFileTheKeyItsValueAndWhatIsSupported() throws IOException {
		Path dir = edited("llama-tf5", "sliding_window", "4096");
		assertThatThrownBy(() -> LanguageModel.load(dir, Device.cpu())).isInstanceOf(ModelLoadException.class)
			.hasMessageContaining(dir.resolve("config.json").toString())
			.hasMessageContaining("(LlamaForCausalLM)")
			.hasMessageContaining("key 'sliding_window' = 4096 is not understood")
			.hasMessageContaining("understood: architectures, attention_bias,")
			.hasMessageContaining("known not to change the computation: _name_or_path,")
			.hasMessageContaining("--lenient");
	}

	@Test
	void anUnknownRopeParameterIsRefusedToo() throws IOException {
		Path dir = edited("llama-tf5", "rope_parameters.short_factor", "[1.0]");
		assertThatThrownBy(() -> LanguageModel.load(dir, Device.cpu())).isInstanceOf(ModelLoadException.class)
			.hasMessageContaining(dir.resolve("config.json") + " rope_parameters: key 'short_factor' = [1.0] is not understood")
			.hasMessageContaining("understood: attention_factor, beta_fast, beta_slow, factor, high_freq_factor");
	}

	@Test
	void lenientLoadsAnUnknownKeyAndComputesAsBefore() throws IOException {
		Reference ref = Reference.of("llama-tf5");
		Path dir = edited("llama-tf5", "sliding_window", "4096");
		try (LanguageModel model = LanguageModel.load(dir, Device.cpu(), null, Strictness.LENIENT)) {
			assertThat(maxAbsDiff(logits(model, ref.tokens()), ref.logits())).isLessThan(1e-4f);
		}
	}

	@Test
	void tensorsTheConfigDoesNotUseAreRefusedByName() throws IOException {
		// transformers would ignore the stored biases when attention_bias is false
		Path dir = edited("llama-tf5", "attention_bias", "false");
		assertThatThrownBy(() -> LanguageModel.load(dir, Device.cpu())).isInstanceOf(ModelLoadException.class)
			.hasMessageContaining("model.safetensors")
			.hasMessageContaining("8 tensor(s) are not used")
			.hasMessageContaining("model.layers.0.self_attn.o_proj.bias")
			.hasMessageContaining("model.layers.1.self_attn.v_proj.bias");
	}

	@Test
	void knownBuffersInTheWeightsAreAccepted() throws IOException {
		Path dir = ReferenceLibFixtures.copy("llama-tf5", this.tmp);
		SafetensorsWriter w = new SafetensorsWriter();
		try (SafetensorsFile f = SafetensorsFile.open(dir.resolve("model.safetensors"))) {
			f.tensors().forEach((name, info) -> w.addF32(name, f.floats(name), info.shape()));
		}
		w.addF32("model.layers.0.self_attn.rotary_emb.inv_freq", new float[8], 8);
		w.write(dir.resolve("model.safetensors"));
		try (LanguageModel model = LanguageModel.load(dir, Device.cpu())) {
			assertThat(model.config().attentionBias()).isTrue();
		}
	}

	@Test
	void aTiedConfigWhoseHeadDiffersFromTheEmbeddingIsAmbiguous() throws IOException {
		Path dir = edited("llama-tf5", "tie_word_embeddings", "true");
		assertThatThrownBy(() -> LanguageModel.load(dir, Device.cpu())).isInstanceOf(ModelLoadException.class)
			.hasMessageContaining("tie_word_embeddings is true but the checkpoint's 'lm_head.weight' differs");
	}

	@Test
	void anUntiedConfigWithoutAHeadIsMissingIt() throws IOException {
		Path dir = edited("llama-linear-tied", "tie_word_embeddings", "false");
		assertThatThrownBy(() -> LanguageModel.load(dir, Device.cpu())).isInstanceOf(ModelLoadException.class)
			.hasMessageContaining("missing tensor 'lm_head.weight'");
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = {
			"llama-tf5|rope_parameters.rope_type|\"longrope\"|rope_type 'longrope' is not supported; valid: default, linear, dynamic, llama3, yarn",
			"llama-tf5|rope_parameters.partial_rotary_factor|0.5|partial_rotary_factor 0.5 is not supported for LlamaForCausalLM",
			"llama-tf5|hidden_act|\"gelu\"|key 'hidden_act' = \"gelu\" is not supported; valid: silu",
			"llama-linear-tied|rope_parameters.beta_fast|32|rope_parameters.beta_fast applies to yarn only, not to linear",
			"neox-sequential|hidden_act|\"relu\"|key 'hidden_act' = \"relu\" is not supported; valid: gelu",
			"llama-tf5|architectures|[\"LlamaForCausalLM\", \"LlamaModel\"]|names several classes",
			"gpt2|add_cross_attention|true|key 'add_cross_attention' = true is not supported; valid: false",
			"gemma2|use_bidirectional_attention|true|key 'use_bidirectional_attention' = true is not supported",
			"gemma2|layer_types|[\"full_attention\", \"full_attention\"]|layer_types[0] = \"full_attention\"" })
	void valuesLumenCannotComputeAreRefusedEvenWhenLenient(String fixture, String key, String value, String message)
			throws IOException {
		Path dir = edited(fixture, key, value);
		assertThatThrownBy(() -> LanguageModel.load(dir, Device.cpu(), null, Strictness.LENIENT))
			.isInstanceOf(ModelLoadException.class)
			.hasMessageContaining(dir.resolve("config.json").toString())
			.hasMessageContaining(message);
	}

	@Test
	void dynamicRopeRunsOnlyWithinMaxPositionEmbeddings() throws IOException {
		Path dir = ReferenceLibFixtures.copy("llama-dynamic", this.tmp);
		try (LanguageModel model = LanguageModel.load(dir, Device.cpu()); NDManager m = NDManager.newBaseManager()) {
			int[] tooLong = new int[model.config().maxSeqLen() + 1];
			assertThatThrownBy(() -> model.forward(m.create(new int[][] { tooLong })))
				.hasMessageContaining("position 64 is past max_position_embeddings = 64, where dynamic rope scaling changes");
		}
	}

	@Test
	void theTransformers4LayoutReadsAsTheTransformers5One() throws IOException {
		JsonNode v4 = JSON.readTree(ReferenceLibFixtures.fixture("llama-tf4-layout").resolve("config.json").toFile());
		JsonNode v5 = JSON.readTree(ReferenceLibFixtures.fixture("llama-tf5").resolve("config.json").toFile());
		assertThat(HfConfig.parse(v4)).isEqualTo(HfConfig.parse(v5));
	}
}
