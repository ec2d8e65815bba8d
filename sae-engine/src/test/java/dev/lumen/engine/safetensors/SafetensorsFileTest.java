package dev.lumen.engine.safetensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lumen.engine.testing.RepoAssets;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsFileTest {

	@TempDir
	Path tmp;

	@Test
	void writtenTensorsReadBackIdenticallyWithSortedNamesAndPaddedHeader() throws IOException {
		Path file = this.tmp.resolve("t.safetensors");
		float[] w = { 1.5f, -2.25f, 3f, 0f, 1e-8f, -7f };
		new SafetensorsWriter().addF32("b", w, 2, 3).addI64("a", new long[] { 7, -1 }, 2).metadata("format", "pt")
			.write(file);

		try (SafetensorsFile f = SafetensorsFile.open(file)) {
			assertThat(f.tensors().keySet()).containsExactly("a", "b");
			assertThat(f.metadata()).containsEntry("format", "pt");
			assertThat(f.floats("b")).containsExactly(w);
			assertThat(f.info("b", 2, 3).dtype()).isEqualTo(SafetensorsDType.F32);
			ByteBuffer a = f.bytes("a");
			assertThat(a.getLong(0)).isEqualTo(7);
			assertThat(a.getLong(8)).isEqualTo(-1);
			assertThat(a.isReadOnly()).isTrue();
		}
		long headerLen = readHeaderLength(file);
		assertThat(headerLen % 8).isZero();
	}

	@Test
	void bf16AndF16AreWidenedExactlyForRepresentableValues() throws IOException {
		// values exactly representable in both formats round-trip bit for bit
		float[] exact = { 1f, -2f, 0.5f, 0.375f, -1024f, 0f, 3.0f };
		Path file = this.tmp.resolve("n.safetensors");
		new SafetensorsWriter().addFloats("h", SafetensorsDType.F16, exact, 7)
			.addFloats("b", SafetensorsDType.BF16, exact, 7)
			.write(file);
		try (SafetensorsFile f = SafetensorsFile.open(file)) {
			assertThat(f.floats("h")).containsExactly(exact);
			assertThat(f.floats("b")).containsExactly(exact);
		}
	}

	@Test
	void narrowingRoundsToNearestEven() {
		// 1 + 2^-8 lies exactly between two bf16 values (1 and 1 + 2^-7): ties go to the even mantissa, 1.0
		assertThat(Floats.bf16ToFloat(Floats.floatToBf16(1f + 0x1p-8f))).isEqualTo(1f);
		// 1 + 3*2^-8 ties between 1+2^-7 (odd) and 1+2^-6 (even): rounds up to 1+2^-6
		assertThat(Floats.bf16ToFloat(Floats.floatToBf16(1f + 3 * 0x1p-8f))).isEqualTo(1f + 0x1p-6f);
		// f16 has 10 mantissa bits: 1 + 2^-11 ties to 1.0, 1 + 3*2^-11 rounds up to 1 + 2^-9
		assertThat(Floats.f16ToFloat(Floats.floatToF16(1f + 0x1p-11f))).isEqualTo(1f);
		assertThat(Floats.f16ToFloat(Floats.floatToF16(1f + 3 * 0x1p-11f))).isEqualTo(1f + 0x1p-9f);
		// subnormal f16 and overflow
		assertThat(Floats.f16ToFloat(Floats.floatToF16(0x1p-24f))).isEqualTo(0x1p-24f);
		assertThat(Floats.f16ToFloat(Floats.floatToF16(1e6f))).isEqualTo(Float.POSITIVE_INFINITY);
		assertThat(Floats.f16ToFloat((short) 0x3c00)).isEqualTo(1f);
		assertThat(Floats.f16ToFloat((short) 0xc000)).isEqualTo(-2f);
	}

	@Test
	void truncatedFileIsRejectedNamingFileAndTensor() throws IOException {
		Path file = this.tmp.resolve("trunc.safetensors");
		new SafetensorsWriter().addF32("weight", new float[100], 10, 10).write(file);
		try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
			ch.truncate(ch.size() - 40);
		}
		assertThatThrownBy(() -> SafetensorsFile.open(file)).isInstanceOf(SafetensorsException.class)
			.hasMessageContaining(file.toString())
			.hasMessageContaining("'weight'")
			.hasMessageContaining("truncated");
	}

	@Test
	void garbageAndInconsistentHeadersAreRejected() throws IOException {
		Path tiny = Files.write(this.tmp.resolve("tiny.safetensors"), new byte[] { 1, 2, 3 });
		assertThatThrownBy(() -> SafetensorsFile.open(tiny)).hasMessageContaining("not a safetensors file");

		Path huge = Files.write(this.tmp.resolve("huge.safetensors"),
				ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1L << 40).array());
		assertThatThrownBy(() -> SafetensorsFile.open(huge)).hasMessageContaining("header length");

		Path badOffsets = writeRaw("bad.safetensors",
				"{\"w\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,12]}}", 16);
		assertThatThrownBy(() -> SafetensorsFile.open(badOffsets)).hasMessageContaining("'w'")
			.hasMessageContaining("needs 16 bytes");

		Path badType = writeRaw("type.safetensors",
				"{\"w\":{\"dtype\":\"F8_E4M3\",\"shape\":[1],\"data_offsets\":[0,1]}}", 1);
		assertThatThrownBy(() -> SafetensorsFile.open(badType)).hasMessageContaining("F8_E4M3")
			.hasMessageContaining("valid dtypes");
	}

	@Test
	void missingTensorAndWrongShapeErrorsSayWhatWasExpected() throws IOException {
		Path file = this.tmp.resolve("s.safetensors");
		new SafetensorsWriter().addF32("W_enc", new float[6], 2, 3).write(file);
		try (SafetensorsFile f = SafetensorsFile.open(file)) {
			assertThatThrownBy(() -> f.info("W_dec")).hasMessageContaining("missing tensor 'W_dec'");
			assertThatThrownBy(() -> f.info("W_enc", 3, 2)).hasMessageContaining("shape [2, 3], expected [3, 2]");
		}
	}

	@Test
	void readsTheHandWrittenHuggingFaceExportOfTheDemoModel() {
		try (SafetensorsFile f = SafetensorsFile.open(RepoAssets.model("tinystories-1m/hf/model.safetensors"));
				SafetensorsFile bf = SafetensorsFile
					.open(RepoAssets.model("tinystories-1m/hf-bf16/model-bf16.safetensors"))) {
			assertThat(f.info("model.embed_tokens.weight", 2048, 128).dtype()).isEqualTo(SafetensorsDType.F32);
			assertThat(bf.info("model.embed_tokens.weight", 2048, 128).dtype()).isEqualTo(SafetensorsDType.BF16);
			float[] full = f.floats("model.norm.weight");
			float[] half = bf.floats("model.norm.weight");
			for (int i = 0; i < full.length; i++) {
				// the bf16 file was made by round-to-nearest-even of the fp32 weights
				assertThat(half[i]).isEqualTo(Floats.bf16ToFloat(Floats.floatToBf16(full[i])));
			}
		}
	}

	private Path writeRaw(String name, String header, int dataBytes) throws IOException {
		byte[] json = header.getBytes();
		ByteBuffer buf = ByteBuffer.allocate(8 + json.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
		buf.putLong(json.length).put(json);
		return Files.write(this.tmp.resolve(name), buf.array());
	}

	private static long readHeaderLength(Path file) throws IOException {
		byte[] b = Files.readAllBytes(file);
		return ByteBuffer.wrap(b, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
	}
}
