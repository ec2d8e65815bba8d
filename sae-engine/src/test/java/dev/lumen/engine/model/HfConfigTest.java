package dev.lumen.engine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Parsing the config.json of the models public SAEs exist for. */
class HfConfigTest {

	private static ModelConfig read(String model) throws URISyntaxException {
		return HfConfig.read(Path.of(HfConfigTest.class.getResource("/configs/" + model + "/config.json").toURI()));
	}

	@Test
	void gpt2WithAGptqQuantizationConfigIsRefusedNamingTheKey() {
		assertThatThrownBy(() -> read("gpt2")).isInstanceOf(ModelLoadException.class)
			.hasMessageContaining("gpt2/config.json")
			.hasMessageContaining("key 'quantization_config' = {\"bits\":4")
			.hasMessageContaining("quantized checkpoints are not supported");
	}

	@Test
	void gpt2Small() throws Exception {
		// the same real file without its GPTQ section is the hub's gpt2 config
		com.fasterxml.jackson.databind.node.ObjectNode json = (com.fasterxml.jackson.databind.node.ObjectNode) new com.fasterxml.jackson.databind.ObjectMapper()
			.readTree(Path.of(HfConfigTest.class.getResource("/configs/gpt2/config.json").toURI()).toFile());
		json.remove("quantization_config");
		ModelConfig c = HfConfig.parse(json);
		assertThat(c.architecture()).isEqualTo(Architecture.GPT2);
		assertThat(new int[] { c.dModel(), c.nLayers(), c.nHeads(), c.nKvHeads(), c.dHead(), c.dMlp(), c.vocabSize(),
				c.maxSeqLen(), c.bosId(), c.eosId() })
			.containsExactly(768, 12, 12, 12, 64, 3072, 50257, 1024, 50256, 50256);
		assertThat(c.normEps()).isEqualTo(1e-5f);
		assertThat(c.attnScale()).isCloseTo(0.125f, within(1e-7f));
		assertThat(HookNames.all(c)).hasSize(12 * 17 + 2).doesNotContain(HookNames.mlpPreLinear(0));
	}

	@Test
	void pythia70mDeduped() throws Exception {
		ModelConfig c = read("pythia-70m-deduped");
		assertThat(c.architecture()).isEqualTo(Architecture.GPT_NEOX);
		assertThat(new int[] { c.dModel(), c.nLayers(), c.nHeads(), c.dHead(), c.dMlp(), c.vocabSize(), c.maxSeqLen(),
				c.rotaryDim() })
			.containsExactly(512, 6, 8, 64, 2048, 50304, 2048, 16);
		assertThat(c.ropeTheta()).isEqualTo(10000f);
		// parallel attention + MLP: no resid_mid hook
		assertThat(HookNames.all(c)).doesNotContain(HookNames.residMid(0)).hasSize(6 * 16 + 2);
	}

	@Test
	void gemma2_2b() throws Exception {
		ModelConfig c = read("gemma-2-2b");
		assertThat(c.architecture()).isEqualTo(Architecture.GEMMA2);
		assertThat(new int[] { c.dModel(), c.nLayers(), c.nHeads(), c.nKvHeads(), c.dHead(), c.dMlp(), c.vocabSize(),
				c.slidingWindow(), c.bosId(), c.eosId() })
			.containsExactly(2304, 26, 8, 4, 256, 9216, 256000, 4096, 2, 1);
		assertThat(c.attnSoftcap()).isEqualTo(50f);
		assertThat(c.finalSoftcap()).isEqualTo(30f);
		assertThat(c.attnScale()).isCloseTo(1 / 16f, within(1e-7f));
		assertThat(c.isSlidingLayer(0)).isTrue();
		assertThat(c.isSlidingLayer(1)).isFalse();
	}

	@Test
	void llama32_1b() throws Exception {
		ModelConfig c = read("Llama-3.2-1B");
		assertThat(c.architecture()).isEqualTo(Architecture.LLAMA);
		assertThat(new int[] { c.dModel(), c.nLayers(), c.nHeads(), c.nKvHeads(), c.dHead(), c.dMlp(), c.vocabSize(),
				c.bosId(), c.eosId() })
			.containsExactly(2048, 16, 32, 8, 64, 8192, 128256, 128000, 128001);
		assertThat(c.ropeTheta()).isEqualTo(500000f);
		assertThat(c.ropeScaling()).isEqualTo(new RopeScaling("llama3", 32, 1, 4, 8192, 32, 1, true, 1));
		// high frequencies (wavelength < 8192/4) are kept, low ones (> 8192) divided by 32
		assertThat(c.ropeScaling().scale(1.0)).isEqualTo(1.0);
		assertThat(c.ropeScaling().scale(2 * Math.PI / 20000)).isCloseTo(2 * Math.PI / 20000 / 32, within(1e-15));
	}
}
