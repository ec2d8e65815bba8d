package dev.lumen.engine.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.lumen.engine.safetensors.SafetensorsDType;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Each architecture's DJL forward against the independent scalar reference, on tiny random checkpoints. */
class ArchitectureParityTest {

	private static final int[] TOKENS = { 1, 413, 434, 261, 386, 11, 318, 1089, 281 };

	@TempDir
	Path tmp;

	static Stream<TinySpec> specs() {
		return Stream.of(TinySpec.llama(), TinySpec.gpt2(), TinySpec.neox(), TinySpec.gemma2());
	}

	@ParameterizedTest
	@MethodSource("specs")
	void logitsMatchTheScalarReference(TinySpec spec) throws Exception {
		Map<String, float[]> tensors = spec.randomTensors(7);
		Path dir = spec.write(this.tmp.resolve(spec.hfArch()), tensors, SafetensorsDType.F32);
		double[][] expected = new ScalarReference(spec, tensors).logits(TOKENS);
		try (LanguageModel lm = LanguageModel.load(dir, Device.cpu()); NDManager m = NDManager.newBaseManager()) {
			assertThat(lm.config().architecture().hfName()).isEqualTo(spec.hfArch());
			float[] actual = lm.forward(m.create(TOKENS, new Shape(1, TOKENS.length))).toFloatArray();
			assertThat(maxDiff(actual, expected)).isLessThan(1e-4);
			// the same sequence through the KV cache one token at a time
			try (KvCache cache = lm.newCache(1)) {
				for (int i = 0; i < TOKENS.length; i++) {
					float[] step = lm.step(new int[][] { { TOKENS[i] } }, new int[][] { { 1 } }, cache, List.of())[0];
					assertThat(maxDiff(step, new double[][] { expected[i] })).as("step %d", i).isLessThan(1e-4);
				}
			}
		}
	}

	@ParameterizedTest
	@MethodSource("specs")
	void leftPaddedBatchRowsMatchTheScalarReferenceOfEachSequence(TinySpec spec) throws Exception {
		Map<String, float[]> tensors = spec.randomTensors(11);
		Path dir = spec.write(this.tmp.resolve(spec.hfArch()), tensors, SafetensorsDType.F32);
		int[] shorter = java.util.Arrays.copyOf(TOKENS, 5);
		TokenBatch batch = TokenBatch.leftPad(List.of(TOKENS, shorter), 0);
		ScalarReference reference = new ScalarReference(spec, tensors);
		try (LanguageModel lm = LanguageModel.load(dir, Device.cpu()); NDManager m = NDManager.newBaseManager()) {
			float[] all = lm.run(batch.tokens(), batch.mask(), List.of(), null, -1, m).logits().toFloatArray();
			int vocab = spec.vocab();
			int n = TOKENS.length;
			float[] shortRows = java.util.Arrays.copyOfRange(all, (n + n - shorter.length) * vocab, 2 * n * vocab);
			assertThat(maxDiff(java.util.Arrays.copyOf(all, n * vocab), reference.logits(TOKENS))).isLessThan(1e-4);
			assertThat(maxDiff(shortRows, reference.logits(shorter))).isLessThan(1e-4);
		}
	}

	/** A real transformers save_pretrained directory (random weights, tied head not stored, real tokenizer). */
	@org.junit.jupiter.api.Test
	void realGpt2CheckpointFromTransformersMatchesTheScalarReference() throws Exception {
		Path dir = Path.of(getClass().getResource("/hf/lm-buddy-fake_gpt2").toURI());
		TinySpec spec = new TinySpec("GPT2LMHeadModel", 2, 1, 1, 1, 2, 8, 50257, 1024, 1e-5, 0, 0, 0, 0, 0, 0, false, true);
		Map<String, float[]> tensors = new java.util.HashMap<>();
		try (dev.lumen.engine.safetensors.SafetensorsFile f = dev.lumen.engine.safetensors.SafetensorsFile
			.open(dir.resolve("model.safetensors"))) {
			for (String name : f.tensors().keySet()) {
				tensors.put(name, f.floats(name));
			}
		}
		try (LanguageModel lm = LanguageModel.load(dir, Device.cpu()); NDManager m = NDManager.newBaseManager()) {
			int[] ids = lm.tokenizer().encode("Hello world, this is GPT-2.", false);
			assertThat(ids[0]).isEqualTo(15496);
			double[][] expected = new ScalarReference(spec, tensors).logits(ids);
			float[] actual = lm.forward(m.create(ids, new Shape(1, ids.length))).toFloatArray();
			assertThat(maxDiff(actual, expected)).isLessThan(1e-4);
		}
	}

	static double maxDiff(float[] actual, double[][] expected) {
		int vocab = expected[0].length;
		assertThat(actual).hasSize(expected.length * vocab);
		double max = 0;
		for (int i = 0; i < expected.length; i++) {
			for (int v = 0; v < vocab; v++) {
				max = Math.max(max, Math.abs(actual[i * vocab + v] - expected[i][v]));
			}
		}
		return max;
	}
}
