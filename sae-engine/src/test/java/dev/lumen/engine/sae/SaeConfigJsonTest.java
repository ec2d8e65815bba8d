package dev.lumen.engine.sae;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SaeConfigJsonTest {

	private static Path fixture(String name) throws Exception {
		return Path.of(SaeConfigJsonTest.class.getResource("/sae/" + name).toURI());
	}

	@Test
	void readsOriginalFlatLayoutWithHookPointAlias() throws Exception {
		SaeConfig cfg = SaeConfigJson.read(fixture("cfg-jb-flat.json"));
		assertThat(cfg.dIn()).isEqualTo(768);
		assertThat(cfg.dSae()).isEqualTo(24576);
		assertThat(cfg.architecture()).isEqualTo(SaeArchitecture.STANDARD);
		assertThat(cfg.hookName()).isEqualTo("blocks.8.hook_resid_pre");
		assertThat(cfg.hookLayer()).isEqualTo(8);
		assertThat(cfg.dtype()).isEqualTo("float32");
		assertThat(cfg.modelName()).isEqualTo("gpt2-small");
		assertThat(cfg.contextSize()).isEqualTo(128);
		assertThat(cfg.applyBDecToInput()).isTrue();
		assertThat(cfg.normalizeActivations()).isEqualTo("none");
	}

	@Test
	void readsSaeLens5FlatJumpRelu() throws Exception {
		SaeConfig cfg = SaeConfigJson.read(fixture("cfg-saelens5-jumprelu.json"));
		assertThat(cfg.architecture()).isEqualTo(SaeArchitecture.JUMPRELU);
		assertThat(cfg.dSae()).isEqualTo(16384);
		assertThat(cfg.hookLayer()).isEqualTo(12);
		assertThat(cfg.applyBDecToInput()).isFalse();
		assertThat(cfg.contextSize()).isEqualTo(1024);
	}

	@Test
	void readsSaeLens6NestedMetadata() throws Exception {
		SaeConfig cfg = SaeConfigJson.read(fixture("cfg-saelens6-topk.json"));
		assertThat(cfg.architecture()).isEqualTo(SaeArchitecture.TOPK);
		assertThat(cfg.k()).isEqualTo(32);
		assertThat(cfg.hookName()).isEqualTo("blocks.3.hook_resid_post");
		assertThat(cfg.hookLayer()).isEqualTo(3);
		assertThat(cfg.modelName()).isEqualTo("pythia-70m-deduped");
		assertThat(cfg.contextSize()).isEqualTo(128);
		assertThat(cfg.prependBos()).isFalse();
	}

	@Test
	void writtenConfigReadsBackEqual() throws Exception {
		SaeConfig cfg = new SaeConfig(128, 1024, "float32", SaeArchitecture.BATCHTOPK, "blocks.1.hook_resid_post", 1,
				"tinystories-1m", 256, false, "none", 0, true, 0.125,
				new dev.lumen.engine.model.TransformerLensProcessing(true, true, false, false));
		String json = SaeConfigJson.toJsonString(cfg);
		assertThat(SaeConfigJson.parse(new ObjectMapper().readTree(json))).isEqualTo(cfg);
		// SAELens 6 and older both find the hook
		assertThat(new ObjectMapper().readTree(json).path("metadata").path("hook_name").asText())
			.isEqualTo("blocks.1.hook_resid_post");
	}

	@Test
	void unknownArchitectureListsValidOnes() {
		assertThatThrownBy(() -> SaeConfigJson.parse(new ObjectMapper()
			.readTree("{\"architecture\":\"gated2\",\"d_in\":4,\"d_sae\":8,\"hook_name\":\"blocks.0.hook_resid_pre\"}")))
			.hasMessageContaining("gated2")
			.hasMessageContaining("standard, jumprelu, topk, batchtopk");
	}

	@Test
	void missingHookAndUnsupportedNormalisationAreNamed() {
		assertThatThrownBy(() -> SaeConfigJson.parse(new ObjectMapper().readTree("{\"d_in\":4,\"d_sae\":8}")))
			.hasMessageContaining("hook_name");
		assertThatThrownBy(() -> SaeConfigJson.parse(new ObjectMapper().readTree(
				"{\"d_in\":4,\"d_sae\":8,\"hook_name\":\"x\",\"normalize_activations\":\"layer_norm\"}")))
			.hasMessageContaining("layer_norm")
			.hasMessageContaining("none, expected_average_only_in");
	}
}
