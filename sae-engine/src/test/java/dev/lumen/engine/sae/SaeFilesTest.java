package dev.lumen.engine.sae;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.lumen.engine.safetensors.SafetensorsWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SaeFilesTest {

	@TempDir
	Path tmp;

	@ParameterizedTest
	@EnumSource(SaeArchitecture.class)
	void saveThenLoadGivesIdenticalOutputs(SaeArchitecture architecture) throws Exception {
		SaeConfig cfg = SaeEncodeDecodeTest.config(architecture, architecture != SaeArchitecture.STANDARD);
		SaeParameters p = SaeTestData.randomParameters(cfg, 9);
		Path dir = this.tmp.resolve("sae-" + architecture.id());
		try (Sae original = Sae.create(cfg, p, Device.cpu()); NDManager m = NDManager.newBaseManager()) {
			original.save(dir);
			assertThat(dir.resolve("cfg.json")).exists();
			assertThat(dir.resolve("sae_weights.safetensors")).exists();
			assertThat(Files.list(dir).count()).isEqualTo(2);
			try (Sae loaded = Sae.loadFromDisk(dir, Device.cpu())) {
				assertThat(loaded.getClass()).isEqualTo(original.getClass());
				assertThat(loaded.config()).isEqualTo(cfg);
				NDArray x = m.create(SaeTestData.gaussian(new Random(4), 5 * 6, 1f), new Shape(5, 6));
				assertThat(loaded.encode(x).toFloatArray()).containsExactly(original.encode(x).toFloatArray());
				assertThat(loaded.forward(x).toFloatArray()).containsExactly(original.forward(x).toFloatArray());
			}
		}
	}

	@Test
	void shapeMismatchWithConfigNamesTensorAndShapes() throws Exception {
		SaeConfig cfg = SaeEncodeDecodeTest.config(SaeArchitecture.STANDARD, true);
		SaeParameters p = SaeTestData.randomParameters(cfg, 1);
		Path dir = this.tmp.resolve("bad-shape");
		SaeFiles.save(dir, cfg, p);
		// the weights claim d_sae = 10 while cfg.json says 20
		new SafetensorsWriter().addF32("W_enc", new float[6 * 10], 6, 10)
			.addF32("b_enc", new float[10], 10)
			.addF32("W_dec", new float[10 * 6], 10, 6)
			.addF32("b_dec", new float[6], 6)
			.write(dir.resolve("sae_weights.safetensors"));
		assertThatThrownBy(() -> Sae.loadFromDisk(dir, Device.cpu())).isInstanceOf(SaeFormatException.class)
			.hasMessageContaining("W_enc")
			.hasMessageContaining("[6, 20]")
			.hasMessageContaining("d_sae=20");
	}

	@Test
	void missingTensorListsWhatIsExpected() throws Exception {
		SaeConfig cfg = SaeEncodeDecodeTest.config(SaeArchitecture.JUMPRELU, true);
		SaeParameters p = SaeTestData.randomParameters(cfg, 1);
		Path dir = this.tmp.resolve("no-threshold");
		SaeFiles.save(dir, cfg, p);
		new SafetensorsWriter().addF32("W_enc", p.wEnc(), 6, 20)
			.addF32("b_enc", p.bEnc(), 20)
			.addF32("W_dec", p.wDec(), 20, 6)
			.addF32("b_dec", p.bDec(), 6)
			.write(dir.resolve("sae_weights.safetensors"));
		assertThatThrownBy(() -> Sae.loadFromDisk(dir, Device.cpu())).isInstanceOf(SaeFormatException.class)
			.hasMessageContaining("missing tensor 'threshold'")
			.hasMessageContaining("jumprelu SAE needs W_enc[6, 20], b_enc[20], W_dec[20, 6], b_dec[6], threshold[20]");
	}

	@Test
	void nanWeightsAreRefusedWithTheirPosition() throws Exception {
		SaeConfig cfg = SaeEncodeDecodeTest.config(SaeArchitecture.STANDARD, true);
		SaeParameters p = SaeTestData.randomParameters(cfg, 1);
		Path dir = this.tmp.resolve("nan");
		SaeFiles.save(dir, cfg, p);
		float[] wDec = p.wDec().clone();
		wDec[13] = Float.NaN;
		new SafetensorsWriter().addF32("W_enc", p.wEnc(), 6, 20)
			.addF32("b_enc", p.bEnc(), 20)
			.addF32("W_dec", wDec, 20, 6)
			.addF32("b_dec", p.bDec(), 6)
			.write(dir.resolve("sae_weights.safetensors"));
		assertThatThrownBy(() -> Sae.loadFromDisk(dir, Device.cpu())).isInstanceOf(SaeFormatException.class)
			.hasMessageContaining("'W_dec' holds NaN at flat index 13");
	}

	@Test
	void unknownArchitectureAndMissingFilesAreExplained() throws Exception {
		SaeConfig cfg = SaeEncodeDecodeTest.config(SaeArchitecture.STANDARD, true);
		Path dir = this.tmp.resolve("arch");
		SaeFiles.save(dir, cfg, SaeTestData.randomParameters(cfg, 1));
		Files.writeString(dir.resolve("cfg.json"),
				Files.readString(dir.resolve("cfg.json")).replace("\"standard\"", "\"matryoshka\""));
		assertThatThrownBy(() -> Sae.loadFromDisk(dir, Device.cpu())).isInstanceOf(SaeFormatException.class)
			.hasMessageContaining("unknown SAE architecture 'matryoshka'; valid: standard, jumprelu, topk, batchtopk");
		assertThatThrownBy(() -> Sae.loadFromDisk(this.tmp.resolve("nowhere"), Device.cpu()))
			.isInstanceOf(SaeFormatException.class)
			.hasMessageContaining("expected cfg.json and sae_weights.safetensors");
	}

	@Test
	void logDensityRoundTripsThroughSparsityFile() throws Exception {
		Path dir = this.tmp.resolve("sparsity");
		Files.createDirectories(dir);
		assertThat(SaeFiles.readLogDensity(dir, 3)).isNull();
		SaeFiles.writeLogDensity(dir, new float[] { -1f, -2.5f, -10f });
		assertThat(SaeFiles.readLogDensity(dir, 3)).containsExactly(-1f, -2.5f, -10f);
		assertThatThrownBy(() -> SaeFiles.readLogDensity(dir, 4)).hasMessageContaining("expected [4]");
	}
}
