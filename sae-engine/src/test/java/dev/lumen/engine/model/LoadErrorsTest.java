package dev.lumen.engine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.lumen.engine.safetensors.SafetensorsDType;
import dev.lumen.engine.testing.RepoAssets;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every way a checkpoint can be wrong ends in a message naming the file, the tensor and expected vs actual. */
class LoadErrorsTest {

	@TempDir
	Path tmp;

	private Path tinyLlama(Map<String, float[]> tensors) throws IOException {
		return TinySpec.llama().write(this.tmp.resolve("model"), tensors, SafetensorsDType.F32);
	}

	@Test
	void unknownArchitectureListsTheSupportedOnes() throws IOException {
		Path dir = tinyLlama(TinySpec.llama().randomTensors(1));
		Files.writeString(dir.resolve("config.json"),
				Files.readString(dir.resolve("config.json")).replace("LlamaForCausalLM", "MambaForCausalLM"));
		assertThatThrownBy(() -> LanguageModel.load(dir, Device.cpu())).isInstanceOf(ModelLoadException.class)
			.hasMessageContaining(dir.resolve("config.json").toString())
			.hasMessageContaining("unsupported architecture 'MambaForCausalLM'")
			.hasMessageContaining("LlamaForCausalLM, GPT2LMHeadModel, GPTNeoXForCausalLM, Gemma2ForCausalLM");
	}

	@Test
	void missingTensorIsNamed() throws IOException {
		Map<String, float[]> t = TinySpec.llama().randomTensors(1);
		t.remove("model.layers.1.mlp.up_proj.weight");
		Path dir = tinyLlama(t);
		assertThatThrownBy(() -> LanguageModel.load(dir, Device.cpu())).isInstanceOf(ModelLoadException.class)
			.hasMessageContaining("model.safetensors")
			.hasMessageContaining("missing tensor 'model.layers.1.mlp.up_proj.weight'")
			.hasMessageContaining("[24, 16]");
	}

	@Test
	void misShapedTensorShowsExpectedAndActualShapes() throws IOException {
		TinySpec spec = TinySpec.llama();
		Map<String, float[]> t = spec.randomTensors(1);
		Path dir = tinyLlama(t);
		// the same weights under a config that claims a wider MLP
		Files.writeString(dir.resolve("config.json"),
				Files.readString(dir.resolve("config.json")).replace("\"intermediate_size\" : 24", "\"intermediate_size\" : 32"));
		assertThatThrownBy(() -> LanguageModel.load(dir, Device.cpu())).isInstanceOf(ModelLoadException.class)
			.hasMessageContaining("model.safetensors")
			.hasMessageContaining("tensor 'model.layers.0.mlp.gate_proj.weight' has shape [24, 16], expected [32, 16]");
	}

	@Test
	void truncatedSafetensorsNamesTheTensorCutOff() throws IOException {
		Path dir = tinyLlama(TinySpec.llama().randomTensors(1));
		Path file = dir.resolve("model.safetensors");
		try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
			f.setLength(f.length() - 100);
		}
		assertThatThrownBy(() -> LanguageModel.load(dir, Device.cpu())).isInstanceOf(ModelLoadException.class)
			.hasMessageContaining(file.toString())
			.hasMessageContaining("truncated file?");
	}

	@Test
	void truncatedLlama2cCheckpointStatesExpectedAndActualSize() throws IOException {
		Path copy = this.tmp.resolve("model.bin");
		byte[] data = Files.readAllBytes(RepoAssets.model("tinystories-1m/model.bin"));
		Files.write(copy, java.util.Arrays.copyOf(data, data.length - 4096));
		Files.copy(RepoAssets.model("tinystories-1m/tokenizer.bin"), this.tmp.resolve("tokenizer.bin"));
		assertThatThrownBy(() -> LanguageModel.load(copy, Device.cpu())).isInstanceOf(ModelLoadException.class)
			.hasMessageContaining(copy.toString())
			.hasMessageContaining("needs 4035100 bytes but the file has 4031004 (truncated file?)");
	}

	@Test
	void tokenizerOfAnotherVocabularyIsRejected() throws IOException {
		Path copy = this.tmp.resolve("model.bin");
		Files.copy(RepoAssets.model("tinystories-1m/model.bin"), copy);
		Files.copy(RepoAssets.model("aidreams260K/tok512.bin"), this.tmp.resolve("tokenizer.bin"));
		assertThatThrownBy(() -> LanguageModel.load(copy, Device.cpu())).isInstanceOf(ModelLoadException.class)
			.hasMessageContaining(this.tmp.resolve("tokenizer.bin").toString())
			.hasMessageContaining("holds 512 tokens but the model's vocabulary has 2048");
	}

	@Test
	void hfTokenizerLargerThanTheModelVocabularyIsRejected() throws Exception {
		Path dir = tinyLlama(TinySpec.llama().randomTensors(1));
		Files.delete(dir.resolve("tokenizer.model"));
		Files.copy(Path.of(getClass().getResource("/hf/lm-buddy-fake_gpt2/tokenizer.json").toURI()),
				dir.resolve("tokenizer.json"));
		assertThatThrownBy(() -> LanguageModel.load(dir, Device.cpu())).isInstanceOf(ModelLoadException.class)
			.hasMessageContaining(dir.toString())
			.hasMessageContaining("tokenizer defines 50257 tokens but the model's vocab_size is 2048");
	}

	@Test
	void llama2cV1ExportLoadsToTheSameLogitsAsTheLegacyFile() throws IOException {
		Path legacy = RepoAssets.model("tinystories-1m/model.bin");
		Path v1 = this.tmp.resolve("model-v1.bin");
		writeV1(legacy, v1);
		Files.copy(RepoAssets.model("tinystories-1m/tokenizer.bin"), this.tmp.resolve("tokenizer.bin"));
		int[] seq = { 1, 413, 434, 261, 386 };
		try (LanguageModel a = LanguageModel.load(legacy, Device.cpu()); LanguageModel b = LanguageModel.load(v1, Device.cpu());
				NDManager m = NDManager.newBaseManager()) {
			assertThat(b.forward(m.create(seq, new Shape(1, 5))).toFloatArray())
				.containsExactly(a.forward(m.create(seq, new Shape(1, 5))).toFloatArray());
		}
	}

	/** Re-orders a legacy (v0) file into llama2.c export.py's version1_export layout (256-byte "ak42" header). */
	private static void writeV1(Path legacy, Path out) throws IOException {
		ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(legacy)).order(ByteOrder.LITTLE_ENDIAN);
		int dim = in.getInt(0);
		int hidden = in.getInt(4);
		int layers = in.getInt(8);
		int heads = in.getInt(12);
		int kvHeads = in.getInt(16);
		int vocab = in.getInt(20);
		int seqLen = in.getInt(24);
		int kv = dim / heads * kvHeads;
		long[] sizes = { (long) vocab * dim, (long) layers * dim, (long) layers * dim * dim, (long) layers * kv * dim,
				(long) layers * kv * dim, (long) layers * dim * dim, (long) layers * dim, (long) layers * hidden * dim,
				(long) layers * dim * hidden, (long) layers * hidden * dim, dim };
		float[][] parts = new float[sizes.length][];
		in.position(28);
		for (int i = 0; i < sizes.length; i++) {
			parts[i] = new float[(int) sizes[i]];
			in.asFloatBuffer().get(parts[i]);
			in.position(in.position() + 4 * (int) sizes[i]);
		}
		// v0 order: emb, rms_att, wq, wk, wv, wo, rms_ffn, w1, w2, w3, rms_final
		// v1 order: rms_att, rms_ffn, rms_final, emb, wq, wk, wv, wo, w1, w2, w3
		int[] order = { 1, 6, 10, 0, 2, 3, 4, 5, 7, 8, 9 };
		long total = 0;
		for (long s : sizes) {
			total += s;
		}
		ByteBuffer b = ByteBuffer.allocate((int) (256 + 4 * total)).order(ByteOrder.LITTLE_ENDIAN);
		b.putInt(0x616b3432).putInt(1).putInt(dim).putInt(hidden).putInt(layers).putInt(heads).putInt(kvHeads)
			.putInt(vocab).putInt(seqLen).put((byte) 1);
		b.position(256);
		for (int i : order) {
			for (float f : parts[i]) {
				b.putFloat(f);
			}
		}
		Files.write(out, b.array());
	}
}
