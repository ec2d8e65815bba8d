package dev.lumen.engine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.lumen.engine.safetensors.Floats;
import dev.lumen.engine.safetensors.SafetensorsDType;
import dev.lumen.engine.safetensors.SafetensorsWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sharded checkpoints and f16 weights load to the same model. */
class CheckpointLayoutTest {

	private static final int[] TOKENS = { 1, 413, 434, 261, 386, 11 };

	@TempDir
	Path tmp;

	@Test
	void shardedCheckpointLoadsLikeTheSingleFile() throws Exception {
		TinySpec spec = TinySpec.llama();
		Map<String, float[]> tensors = spec.randomTensors(3);
		Path single = spec.write(this.tmp.resolve("single"), tensors, SafetensorsDType.F32);
		Path sharded = spec.write(this.tmp.resolve("sharded"), tensors, SafetensorsDType.F32);
		Files.delete(sharded.resolve("model.safetensors"));
		// layer 0 and the embedding in shard 1, the rest in shard 2, as transformers' save_pretrained splits
		SafetensorsWriter one = new SafetensorsWriter();
		SafetensorsWriter two = new SafetensorsWriter();
		StringBuilder index = new StringBuilder("{\"metadata\": {}, \"weight_map\": {");
		tensors.forEach((name, data) -> {
			boolean first = name.startsWith("model.layers.0.") || name.startsWith("model.embed");
			(first ? one : two).addF32(name, data, spec.shapeOf(name));
			index.append('"').append(name).append("\": \"model-0000").append(first ? 1 : 2).append("-of-00002.safetensors\",");
		});
		index.setLength(index.length() - 1);
		one.write(sharded.resolve("model-00001-of-00002.safetensors"));
		two.write(sharded.resolve("model-00002-of-00002.safetensors"));
		Files.writeString(sharded.resolve("model.safetensors.index.json"), index.append("}}").toString());
		assertThat(logits(sharded)).containsExactly(logits(single));

		Files.delete(sharded.resolve("model-00002-of-00002.safetensors"));
		assertThatThrownBy(() -> LanguageModel.load(sharded, Device.cpu())).isInstanceOf(ModelLoadException.class)
			.hasMessageContaining("model.safetensors.index.json: lists shard 'model-00002-of-00002.safetensors'")
			.hasMessageContaining("does not exist");
	}

	@Test
	void f16WeightsAreWidenedExactly() throws Exception {
		TinySpec spec = TinySpec.gemma2();
		Map<String, float[]> tensors = spec.randomTensors(5);
		Map<String, float[]> rounded = new LinkedHashMap<>();
		tensors.forEach((name, data) -> {
			float[] r = new float[data.length];
			for (int i = 0; i < r.length; i++) {
				r[i] = Floats.f16ToFloat(Floats.floatToF16(data[i]));
			}
			rounded.put(name, r);
		});
		Path dir = spec.write(this.tmp.resolve("f16"), tensors, SafetensorsDType.F16);
		float[] actual = logits(dir);
		assertThat(ArchitectureParityTest.maxDiff(actual, new ScalarReference(spec, rounded).logits(TOKENS))).isLessThan(1e-4);
	}

	private static float[] logits(Path dir) {
		try (LanguageModel lm = LanguageModel.load(dir, Device.cpu()); NDManager m = NDManager.newBaseManager()) {
			return lm.forward(m.create(TOKENS, new Shape(1, TOKENS.length))).toFloatArray();
		}
	}
}
