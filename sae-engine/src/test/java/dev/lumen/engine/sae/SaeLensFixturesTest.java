package dev.lumen.engine.sae;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lumen.engine.load.Strictness;
import dev.lumen.engine.safetensors.SafetensorsFile;
import dev.lumen.engine.safetensors.SafetensorsWriter;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SAEs written by SAELens 6's own {@code save_model} / {@code save_inference_model}
 * ({@code src/test/fixtures-gen/generate.py}) encode and decode as SAELens does, within 1e-4, through DJL and on the
 * host; every cfg option read wrongly would change the numbers; what Lumen cannot compute is refused by name.
 */
class SaeLensFixturesTest {

	private static final ObjectMapper JSON = new ObjectMapper();

	@TempDir
	Path tmp;

	static Path fixture(String name) {
		try {
			return Path.of(SaeLensFixturesTest.class.getResource("/reference-libs/saes/").toURI()).resolve(name);
		}
		catch (URISyntaxException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** SAELens' numbers for 16 random inputs: x [16, dIn], feature_acts [16, dSae], recons [16, dIn]. */
	private record Reference(float[] x, float[] acts, float[] recons) {

		static Reference of(Path dir) {
			try (SafetensorsFile f = SafetensorsFile.open(dir.resolve("sae_reference.safetensors"))) {
				return new Reference(f.floats("x"), f.floats("feature_acts"), f.floats("recons"));
			}
		}
	}

	private static float maxAbsDiff(float[] a, float[] b) {
		assertThat(a).hasSameSizeAs(b);
		float max = 0;
		for (int i = 0; i < a.length; i++) {
			max = Math.max(max, Math.abs(a[i] - b[i]));
		}
		return max;
	}

	/** Feature activations through DJL and through the host path, which must agree. */
	private static float[] encode(Sae sae, float[] x) {
		int dIn = sae.config().dIn();
		int dSae = sae.config().dSae();
		int n = x.length / dIn;
		float[] djl;
		try (NDManager m = NDManager.newBaseManager()) {
			djl = sae.encode(m.create(x, new Shape(n, dIn))).toFloatArray();
		}
		for (int t = 0; t < n; t++) {
			float[] host = new float[dSae];
			sae.encodeInto(java.util.Arrays.copyOfRange(x, t * dIn, (t + 1) * dIn), host);
			assertThat(maxAbsDiff(host, java.util.Arrays.copyOfRange(djl, t * dSae, (t + 1) * dSae)))
				.as("host vs DJL at token %d", t).isLessThan(1e-4f);
		}
		return djl;
	}

	@ParameterizedTest
	@ValueSource(strings = { "standard", "standard-no-bdec-input", "jumprelu", "gated", "topk", "topk-rescaled",
			"batchtopk-training", "batchtopk-inference", "matryoshka-batchtopk-training", "matryoshka-batchtopk-inference" })
	void encodesAndDecodesAsSaeLens(String name) {
		Path dir = fixture(name);
		Reference ref = Reference.of(dir);
		try (Sae sae = Sae.loadFromDisk(dir, Device.cpu()); NDManager m = NDManager.newBaseManager()) {
			float[] acts = encode(sae, ref.x());
			assertThat(maxAbsDiff(acts, ref.acts())).as("feature activations").isLessThan(1e-4f);
			long active = 0;
			for (float a : ref.acts()) {
				active += a > 0 ? 1 : 0;
			}
			assertThat(active).as("some but not all features fire").isBetween(16L, 16L * sae.config().dSae() - 1);
			NDArray recons = sae.decode(m.create(ref.acts(), new Shape(16, sae.config().dSae())));
			assertThat(maxAbsDiff(recons.toFloatArray(), ref.recons())).as("reconstruction").isLessThan(1e-4f);
		}
	}

	/** A copy of a fixture with one cfg.json key set (JSON value) or removed ("-"). */
	private Path edited(String name, String key, String json) throws IOException {
		Path dir = this.tmp.resolve(name + "-" + key.replace('.', '_'));
		Files.createDirectories(dir);
		for (String f : new String[] { "cfg.json", "sae_weights.safetensors" }) {
			Files.copy(fixture(name).resolve(f), dir.resolve(f));
		}
		ObjectNode root = (ObjectNode) JSON.readTree(dir.resolve("cfg.json").toFile());
		ObjectNode parent = key.startsWith("metadata.") ? (ObjectNode) root.get("metadata") : root;
		String leaf = key.substring(key.lastIndexOf('.') + 1);
		if (json.equals("-")) {
			parent.remove(leaf);
		}
		else {
			parent.set(leaf, JSON.readTree(json));
		}
		JSON.writeValue(dir.resolve("cfg.json").toFile(), root);
		return dir;
	}

	@ParameterizedTest(name = "{0}: {1} = {2}")
	@CsvSource(delimiter = '|', value = { "standard|apply_b_dec_to_input|false",
			"standard-no-bdec-input|apply_b_dec_to_input|true", "topk|k|4", "topk|rescale_acts_by_decoder_norm|true",
			"topk-rescaled|rescale_acts_by_decoder_norm|false", "batchtopk-training|rescale_acts_by_decoder_norm|false",
			"jumprelu|architecture|\"standard\"", "topk|architecture|\"standard\"" })
	void aWrongReadingOfTheOptionWouldChangeTheActivations(String name, String key, String value) throws IOException {
		Reference ref = Reference.of(fixture(name));
		// lenient, so that an edit that leaves a tensor unread (jumprelu's threshold as standard) still loads
		try (Sae sae = Sae.loadFromDisk(edited(name, key, value), Device.cpu(), Strictness.LENIENT)) {
			assertThat(maxAbsDiff(encode(sae, ref.x()), ref.acts())).as("%s = %s", key, value).isGreaterThan(1e-2f);
		}
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = {
			"standard-constant-norm|normalize_activations|\"constant_norm_rescale\"|normalize_activations 'constant_norm_rescale' is not supported; valid: none, expected_average_only_in",
			"standard|normalize_activations|\"layer_norm\"|normalize_activations 'layer_norm' is not supported",
			"standard|reshape_activations|\"hook_z\"|reshape_activations = \"hook_z\" is not supported",
			"standard|metadata.hook_head_index|3|hook_head_index = 3: SAEs on one attention head's activations are not supported",
			"standard|architecture|\"transcoder\"|unknown SAE architecture 'transcoder'; valid: standard, jumprelu, topk, batchtopk, gated, matryoshka_batchtopk",
			"jumprelu|rescale_acts_by_decoder_norm|true|rescale_acts_by_decoder_norm applies to topk and batchtopk SAEs only" })
	void optionsLumenCannotComputeAreRefusedEvenWhenLenient(String name, String key, String value, String message)
			throws IOException {
		Path dir = edited(name, key, value);
		assertThatThrownBy(() -> Sae.loadFromDisk(dir, Device.cpu(), Strictness.LENIENT))
			.isInstanceOf(SaeFormatException.class)
			.hasMessageContaining(dir.resolve("cfg.json").toString())
			.hasMessageContaining(message);
	}

	@Test
	void anUnknownKeyIsRefusedNamingFileKeyValueAndSupportedKeys() throws IOException {
		Path dir = edited("topk", "sparsity_penalty", "0.5");
		assertThatThrownBy(() -> Sae.loadFromDisk(dir, Device.cpu())).isInstanceOf(SaeFormatException.class)
			.hasMessageContaining(dir.resolve("cfg.json") + ": key 'sparsity_penalty' = 0.5 is not understood")
			.hasMessageContaining("understood: activation_fn, activation_fn_kwargs, activation_fn_str, apply_b_dec_to_input")
			.hasMessageContaining("known not to change the computation: act_store_device, adam_beta1")
			.hasMessageContaining("--lenient");
		try (Sae sae = Sae.loadFromDisk(dir, Device.cpu(), Strictness.LENIENT)) {
			assertThat(sae.config().k()).isEqualTo(8);
		}
	}

	@Test
	void anUnknownMetadataKeyIsRefusedToo() throws IOException {
		Path dir = edited("standard", "metadata.hook_point_in", "\"blocks.0.hook_resid_pre\"");
		assertThatThrownBy(() -> Sae.loadFromDisk(dir, Device.cpu())).isInstanceOf(SaeFormatException.class)
			.hasMessageContaining("cfg.json metadata: key 'hook_point_in' = \"blocks.0.hook_resid_pre\" is not understood");
	}

	@Test
	void aTensorNothingReadsIsRefusedByName() throws IOException {
		// a jumprelu file read as standard leaves its threshold unread
		Path dir = edited("jumprelu", "architecture", "\"standard\"");
		assertThatThrownBy(() -> Sae.loadFromDisk(dir, Device.cpu())).isInstanceOf(SaeFormatException.class)
			.hasMessageContaining("sae_weights.safetensors: tensor(s) [threshold] are not used by a standard SAE")
			.hasMessageContaining("W_enc[48, 96], b_enc[96], W_dec[96, 48], b_dec[48]");
	}

	@Test
	void aBatchTopKTrainingSaveWithoutItsThresholdIsMissingIt() throws IOException {
		Path dir = edited("batchtopk-training", "k", "8");
		SafetensorsWriter w = new SafetensorsWriter();
		try (SafetensorsFile f = SafetensorsFile.open(dir.resolve("sae_weights.safetensors"))) {
			for (String n : new String[] { "W_enc", "b_enc", "W_dec", "b_dec" }) {
				w.addF32(n, f.floats(n), f.info(n).shape());
			}
		}
		w.write(dir.resolve("sae_weights.safetensors"));
		assertThatThrownBy(() -> Sae.loadFromDisk(dir, Device.cpu())).isInstanceOf(SaeFormatException.class)
			.hasMessageContaining("missing tensor 'topk_threshold'; a batchtopk SAE needs");
	}

	@Test
	void gatedAndBatchTopKSavesLoadAsTheirInferenceFunction() {
		try (Sae gated = Sae.loadFromDisk(fixture("gated"), Device.cpu());
				Sae batch = Sae.loadFromDisk(fixture("matryoshka-batchtopk-training"), Device.cpu())) {
			assertThat(gated.config().architecture()).isEqualTo(SaeArchitecture.JUMPRELU);
			assertThat(batch.config().architecture()).isEqualTo(SaeArchitecture.BATCHTOPK);
			// the learned scalar threshold, for every feature
			assertThat(batch.parameters().threshold()).containsOnly(0.4f);
		}
	}
}
