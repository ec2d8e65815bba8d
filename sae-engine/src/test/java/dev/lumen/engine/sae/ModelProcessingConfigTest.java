package dev.lumen.engine.sae;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lumen.engine.load.Strictness;
import dev.lumen.engine.model.TransformerLensProcessing;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code model_from_pretrained_kwargs} is read as SAELens uses it: the model is
 * {@code HookedTransformer.from_pretrained_no_processing(name, **kwargs)}, so no key means no processing and each known
 * key turns one step on; unknown keys are refused by name.
 */
class ModelProcessingConfigTest {

	private static final ObjectMapper JSON = new ObjectMapper();

	@TempDir
	Path tmp;

	private static ObjectNode cfg(String kwargs) throws IOException {
		ObjectNode root = (ObjectNode) JSON.readTree("{\"architecture\": \"standard\", \"d_in\": 4, \"d_sae\": 8, "
				+ "\"hook_name\": \"blocks.0.hook_resid_post\"}");
		if (kwargs != null) {
			root.set("model_from_pretrained_kwargs", JSON.readTree(kwargs));
		}
		return root;
	}

	private static TransformerLensProcessing read(ObjectNode root, Strictness strictness) {
		return SaeConfigJson.parse(root, "cfg.json", strictness).modelProcessing();
	}

	@Test
	void noKwargsMeansTheUnprocessedModelAndEachKeyTurnsOneStepOn() throws IOException {
		assertThat(read(cfg(null), Strictness.STRICT)).isEqualTo(TransformerLensProcessing.NONE);
		assertThat(read(cfg("{}"), Strictness.STRICT)).isEqualTo(TransformerLensProcessing.NONE);
		assertThat(read(cfg("{\"center_writing_weights\": true}"), Strictness.STRICT))
			.isEqualTo(new TransformerLensProcessing(false, true, false, false));
		assertThat(read(cfg("{\"fold_ln\": true, \"fold_value_biases\": true, \"n_devices\": 2}"), Strictness.STRICT))
			.isEqualTo(new TransformerLensProcessing(true, false, false, true));
		ObjectNode inMetadata = cfg(null);
		inMetadata.putObject("metadata").set("model_from_pretrained_kwargs",
				JSON.readTree("{\"center_unembed\": true}"));
		assertThat(read(inMetadata, Strictness.STRICT)).isEqualTo(new TransformerLensProcessing(false, false, true, false));
	}

	@Test
	void unknownKwargsAreRefusedByNameUnlessLenient() throws IOException {
		ObjectNode root = cfg("{\"center_writing_weights\": true, \"fold_biases\": true}");
		assertThatThrownBy(() -> read(root, Strictness.STRICT)).hasMessageContaining("model_from_pretrained_kwargs")
			.hasMessageContaining("'fold_biases' = true is not understood");
		assertThat(read(root, Strictness.LENIENT).centerWritingWeights()).isTrue();
		assertThatThrownBy(() -> read(cfg("{\"refactor_factored_attn_matrices\": true}"), Strictness.LENIENT))
			.hasMessageContaining("refactor_factored_attn_matrices = true is not supported");
		assertThatThrownBy(() -> read(cfg("{\"fold_ln\": \"yes\"}"), Strictness.LENIENT))
			.hasMessageContaining("fold_ln = \"yes\" is not a boolean");
	}

	@Test
	void aReleasesConfigOverridesNextToCfgJsonAreMergedAsSaeLensDoes() throws IOException {
		Path file = this.tmp.resolve("cfg.json");
		Files.writeString(file, cfg(null).toString());
		assertThat(SaeConfigJson.read(file, Strictness.STRICT).modelProcessing()).isEqualTo(TransformerLensProcessing.NONE);
		Files.writeString(this.tmp.resolve(SaeConfigJson.OVERRIDES_FILE),
				"{\"model_from_pretrained_kwargs\": {\"center_writing_weights\": true}, \"dataset_path\": \"x\"}");
		assertThat(SaeConfigJson.read(file, Strictness.STRICT).modelProcessing().centerWritingWeights()).isTrue();
	}

	@Test
	void lumenWritesTheProcessingItsSaesSawSoSaeLensLoadsTheModelTheSameWay() {
		SaeConfig lumen = SaeConfig.of(4, 8, SaeArchitecture.STANDARD, 0, "blocks.0.hook_resid_post", "m");
		ObjectNode json = SaeConfigJson.toJson(lumen);
		assertThat(json.get("model_from_pretrained_kwargs").toString()).isEqualTo(
				"{\"fold_ln\":false,\"center_writing_weights\":false,\"center_unembed\":false,\"fold_value_biases\":false}");
		assertThat(SaeConfigJson.parse(json, "cfg.json", Strictness.STRICT)).isEqualTo(lumen);
	}
}
