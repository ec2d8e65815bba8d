package dev.lumen.engine.sae;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lumen.engine.load.Strictness;
import dev.lumen.engine.safetensors.SafetensorsFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Gemma Scope's params.npz (written with np.savez as Google wrote them) loads as the JumpReLU SAE SAELens' gemma_2
 * loader builds from it: the same config, key for key, and the same encode/decode within 1e-4
 * ({@code reference-libs/saes/gemma-scope-npz}, from generate.py).
 */
class GemmaScopeTest {

	private static final Path FIXTURE = SaeLensFixturesTest.fixture("gemma-scope-npz");

	private static final ObjectMapper JSON = new ObjectMapper();

	@TempDir
	Path tmp;

	@Test
	void configIsWhatSaeLensDerivesFromTheRepositoryAndFolder() throws IOException {
		JsonNode saelens = JSON.readTree(FIXTURE.resolve("saelens_cfg.json").toFile());
		ObjectNode lumen = GemmaScope.config(saelens.get("repo_id").asText(), saelens.get("folder").asText());
		assertThat(lumen).isEqualTo(saelens.get("cfg"));
		SaeConfig parsed = SaeConfigJson.parse(lumen, "cfg.json", Strictness.STRICT);
		assertThat(parsed.architecture()).isEqualTo(SaeArchitecture.JUMPRELU);
		assertThat(parsed.applyBDecToInput()).isFalse();
		assertThat(parsed.hookName()).isEqualTo("blocks.3.hook_resid_post");
		assertThat(GemmaScope.config("google/gemma-scope-9b-pt-mlp", "layer_20/width_131k/average_l0_11")
			.get("hook_name").asText()).isEqualTo("blocks.20.hook_mlp_out");
		assertThatThrownBy(() -> GemmaScope.config("google/gemma-scope-2b-pt-res", "embedding/width_4k/average_l0_6"))
			.hasMessageContaining("hook_embed");
	}

	@Test
	void paramsNpzEncodesAndDecodesAsSaeLensJumpRelu() throws IOException {
		try (Sae sae = Sae.loadFromDisk(folder("params.npz", false), Device.cpu())) {
			assertThat(sae.config().architecture()).isEqualTo(SaeArchitecture.JUMPRELU);
			float[][] got = run(sae);
			try (SafetensorsFile ref = SafetensorsFile.open(FIXTURE.resolve("sae_reference.safetensors"))) {
				assertThat(gap(got[0], ref.floats("feature_acts"))).isLessThan(1e-4f);
				assertThat(gap(got[1], ref.floats("recons"))).isLessThan(1e-4f);
			}
		}
		// reading the input as x − b_dec (apply_b_dec_to_input true, the SAELens default elsewhere) would be wrong here
		try (Sae wrong = Sae.loadFromDisk(folder("params.npz", true), Device.cpu());
				SafetensorsFile ref = SafetensorsFile.open(FIXTURE.resolve("sae_reference.safetensors"))) {
			assertThat(gap(run(wrong)[0], ref.floats("feature_acts"))).isGreaterThan(1e-2f);
		}
	}

	@Test
	void anUnknownArrayIsRefusedByNameUnlessLenient() throws IOException {
		Path dir = folder("params-extra-array.npz", false);
		assertThatThrownBy(() -> Sae.loadFromDisk(dir, Device.cpu(), Strictness.STRICT))
			.isInstanceOf(SaeFormatException.class).hasMessageContaining("[W_extra]")
			.hasMessageContaining("not used by a Gemma Scope JumpReLU SAE");
		try (Sae sae = Sae.loadFromDisk(dir, Device.cpu(), Strictness.LENIENT)) {
			assertThat(sae.config().dSae()).isEqualTo(96);
		}
	}

	@Test
	void aFloat64ArrayIsRefusedNamingItsDtype() throws IOException {
		Path dir = folder("params-float64.npz", false);
		assertThatThrownBy(() -> Sae.loadFromDisk(dir, Device.cpu(), Strictness.LENIENT))
			.isInstanceOf(SaeFormatException.class).hasMessageContaining("array 'W_enc' has dtype '<f8'");
	}

	@Test
	void aMisShapedArrayNamesTheArrayAndBothShapes() throws IOException {
		Path dir = folder("params.npz", false);
		ObjectNode cfg = (ObjectNode) JSON.readTree(dir.resolve("cfg.json").toFile());
		cfg.put("d_sae", 95);
		Files.writeString(dir.resolve("cfg.json"), cfg.toString());
		assertThatThrownBy(() -> Sae.loadFromDisk(dir, Device.cpu())).hasMessageContaining(
				"array 'W_enc' has shape [48, 96], expected [48, 95]");
	}

	/** A folder as pull-sae leaves it: params.npz and the derived cfg.json (d_in/d_sae as the fixture's, 48 and 96). */
	private Path folder(String npz, boolean applyBDec) throws IOException {
		Path dir = Files.createTempDirectory(this.tmp, "gemma-scope");
		Files.copy(FIXTURE.resolve(npz), dir.resolve(GemmaScope.PARAMS));
		ObjectNode cfg = GemmaScope.config("google/gemma-scope-2b-pt-res", "layer_3/width_16k/average_l0_50");
		cfg.put("d_in", 48);
		cfg.put("d_sae", 96);
		cfg.put("apply_b_dec_to_input", applyBDec);
		Files.writeString(dir.resolve(SaeFiles.CONFIG), cfg.toPrettyString());
		return dir;
	}

	private static float[][] run(Sae sae) {
		try (SafetensorsFile ref = SafetensorsFile.open(FIXTURE.resolve("sae_reference.safetensors"));
				NDManager m = NDManager.newBaseManager()) {
			float[] x = ref.floats("x");
			var f = sae.encode(m.create(x, new Shape(x.length / 48, 48)));
			return new float[][] { f.toFloatArray(), sae.decode(f).toFloatArray() };
		}
	}

	private static float gap(float[] a, float[] b) {
		assertThat(a).hasSameSizeAs(b);
		float max = 0;
		for (int i = 0; i < a.length; i++) {
			max = Math.max(max, Math.abs(a[i] - b[i]));
		}
		return max;
	}
}
