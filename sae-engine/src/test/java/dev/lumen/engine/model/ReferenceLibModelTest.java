package dev.lumen.engine.model;

import static dev.lumen.engine.model.ReferenceLibFixtures.maxAbsDiff;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.lumen.engine.model.ReferenceLibFixtures.Reference;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Models written by transformers 5 itself compute what transformers computes (logits) and what TransformerLens
 * defines at every hook point Lumen offers, within 1e-4 in float32: in one batched forward (DJL), and position by
 * position through a decode session (the plain-Java decoder, for every architecture).
 */
class ReferenceLibModelTest {

	private static final float TOLERANCE = 1e-4f;

	@TempDir
	Path tmp;

	@ParameterizedTest
	@ValueSource(strings = { "llama-tf5", "llama-tf4-layout", "llama-linear-tied", "llama-yarn", "llama-dynamic",
			"neox-sequential", "neox-parallel", "neox-tf4-layout", "gpt2", "gemma2" })
	void batchedForwardMatchesTransformersAtEveryHook(String name) {
		Reference ref = Reference.of(name);
		try (LanguageModel model = LanguageModel.load(ReferenceLibFixtures.copy(name, this.tmp), Device.cpu());
				NDManager m = NDManager.newBaseManager()) {
			ForwardResult r = model.runWithCache(m.create(new int[][] { ref.tokens() }), n -> true);
			assertThat(maxAbsDiff(r.logits().toFloatArray(), ref.logits())).as("logits").isLessThan(TOLERANCE);
			int compared = 0;
			for (String hook : model.hookNames()) {
				if (!HookNames.offeredByJavaDecoder(hook)) {
					continue; // the other hooks are compared with TransformerLens itself: TransformerLensHooksTest
				}
				assertThat(ref.hooks()).as("reference for %s", hook).containsKey(hook);
				NDArray a = r.cache().get(hook);
				assertThat(maxAbsDiff(a.toFloatArray(), ref.hooks().get(hook))).as(hook).isLessThan(TOLERANCE);
				compared++;
			}
			assertThat(compared).isGreaterThan(10);
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "llama-tf5", "llama-linear-tied", "llama-yarn", "llama-dynamic", "neox-sequential",
			"neox-parallel", "gpt2", "gemma2" })
	void stepByStepDecodingMatchesTransformersAtEveryHook(String name) {
		Reference ref = Reference.of(name);
		try (LanguageModel model = LanguageModel.load(ReferenceLibFixtures.copy(name, this.tmp), Device.cpu())) {
			int vocab = model.config().vocabSize();
			Map<String, List<float[]>> seen = new HashMap<>();
			List<HookSpec> hooks = new ArrayList<>();
			for (String hook : model.hookNames()) {
				if (HookNames.offeredByJavaDecoder(hook)) {
					hooks.add(new HookSpec(hook, new Recorder(seen)));
				}
			}
			try (DecodeSession s = model.openSession(1, hooks)) {
				assertThat(s.getClass().getName()).contains("JvmDecoder");
				for (int t = 0; t < ref.tokens().length; t++) {
					float[] logits = s.step(new int[][] { { ref.tokens()[t] } }, new int[][] { { 1 } })[0];
					assertThat(maxAbsDiff(logits, ref.logitsAt(t, vocab))).as("logits at %d", t).isLessThan(TOLERANCE);
				}
			}
			for (HookSpec spec : hooks) {
				String hook = spec.hookName();
				float[] expected = ref.hooks().get(hook);
				List<float[]> positions = seen.get(hook);
				assertThat(positions).as(hook).hasSize(ref.tokens().length);
				int width = expected.length / ref.tokens().length;
				for (int t = 0; t < positions.size(); t++) {
					float[] want = java.util.Arrays.copyOfRange(expected, t * width, (t + 1) * width);
					assertThat(maxAbsDiff(positions.get(t), want)).as("%s at %d", hook, t).isLessThan(TOLERANCE);
				}
			}
		}
	}

	/** Records each position's activation on either path (a copy per position, nothing changed). */
	private record Recorder(Map<String, List<float[]>> seen) implements PositionHook {

		@Override
		public void applyInPlace(float[] activation, String hookName, int step, boolean lastInStep) {
			this.seen.computeIfAbsent(hookName, k -> new ArrayList<>()).add(activation.clone());
		}

		@Override
		public NDArray apply(NDArray activation, String hookName) {
			// DJL steps here see [1, 1, ...]: one new position per step
			this.seen.computeIfAbsent(hookName, k -> new ArrayList<>()).add(activation.toFloatArray());
			return activation;
		}
	}
}
