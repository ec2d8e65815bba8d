package dev.lumen.engine.model;

import static dev.lumen.engine.model.ReferenceLibFixtures.maxAbsDiff;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.lumen.engine.model.ReferenceLibFixtures.Reference;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The plain-Java decoder computes what the DJL paths compute, for every architecture: its step-by-step logits equal
 * one batched forward over the whole prompt, a hook that changes an activation changes the logits as it does
 * through DJL's KV-cache steps, and a prompt prefilled by DJL continues in Java with the same logits.
 */
class JvmDecoderArchitectureParityTest {

	private static final float TOLERANCE = 1e-4f;

	private static final String[] MODELS = { "llama-tf5", "neox-sequential", "neox-parallel", "gpt2", "gemma2" };

	@TempDir
	Path tmp;

	@ParameterizedTest
	@ValueSource(strings = { "llama-tf5", "llama-yarn", "neox-sequential", "neox-parallel", "gpt2", "gemma2" })
	void stepByStepLogitsEqualTheBatchedForward(String name) {
		Reference ref = Reference.of(name);
		int[] tokens = ref.tokens();
		try (LanguageModel model = load(name); NDManager m = NDManager.newBaseManager()) {
			int vocab = model.config().vocabSize();
			float[] batched = model.runWithCache(m.create(new int[][] { tokens }), n -> false).logits().toFloatArray();
			try (DecodeSession s = model.openSession(1, List.of())) {
				assertThat(s.getClass().getName()).contains("JvmDecoder");
				for (int t = 0; t < tokens.length; t++) {
					float[] logits = s.step(new int[][] { { tokens[t] } }, new int[][] { { 1 } })[0];
					float[] want = Arrays.copyOfRange(batched, t * vocab, (t + 1) * vocab);
					assertThat(maxAbsDiff(logits, want)).as("logits at %d", t).isLessThan(TOLERANCE);
				}
			}
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "blocks.0.hook_resid_pre", "blocks.0.ln1.hook_normalized", "blocks.1.attn.hook_z",
			"blocks.0.hook_attn_out", "blocks.1.ln2.hook_normalized", "blocks.0.mlp.hook_post", "blocks.1.hook_mlp_out",
			"blocks.0.hook_resid_post", "ln_final.hook_normalized" })
	void aHookChangesTheLogitsAsThroughDjl(String hook) {
		for (String name : MODELS) {
			Reference ref = Reference.of(name);
			try (LanguageModel model = load(name)) {
				List<float[]> plain = decode(model, ref.tokens(), List.of(), false);
				List<float[]> jvm = decode(model, ref.tokens(), List.of(new HookSpec(hook, new AddPattern())), false);
				List<float[]> djl = decode(model, ref.tokens(), List.of(new HookSpec(hook, new AddPattern())), true);
				for (int step = 0; step < jvm.size(); step++) {
					assertThat(maxAbsDiff(jvm.get(step), djl.get(step))).as("%s step %d", name, step).isLessThan(TOLERANCE);
					// the hook did change something, so the comparison is not vacuous
					assertThat(maxAbsDiff(jvm.get(step), plain.get(step))).as("%s step %d", name, step).isGreaterThan(1e-3f);
				}
			}
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "llama-tf5", "neox-parallel", "gpt2", "gemma2" })
	void aPromptPrefilledByDjlContinuesInJavaWithTheSameLogits(String name) {
		Reference ref = Reference.of(name);
		int[] prompt = Arrays.copyOf(ref.tokens(), 7); // past Gemma's sliding window of 4
		int[] next = Arrays.copyOfRange(ref.tokens(), 7, ref.tokens().length);
		try (LanguageModel model = load(name)) {
			List<HookSpec> hooks = List.of(new HookSpec(HookNames.residPost(0), new AddPattern()));
			List<float[]> javaOnly = promptThenTokens(model, prompt, next, hooks);
			List<float[]> hybrid;
			System.setProperty("lumen.engine.djlPrefillWork", "1"); // every prompt counts as long
			try {
				hybrid = promptThenTokens(model, prompt, next, hooks);
			}
			finally {
				System.clearProperty("lumen.engine.djlPrefillWork");
			}
			for (int step = 0; step < javaOnly.size(); step++) {
				assertThat(maxAbsDiff(hybrid.get(step), javaOnly.get(step))).as("step %d", step).isLessThan(TOLERANCE);
			}
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "llama-tf5", "neox-parallel", "gpt2", "gemma2" })
	void bf16WeightsGiveLogitsCloseToFloat32(String name) {
		Reference ref = Reference.of(name);
		List<float[]> fp32;
		try (LanguageModel model = load(name)) {
			fp32 = decode(model, ref.tokens(), List.of(), false);
		}
		List<float[]> bf16;
		System.setProperty("lumen.engine.jvmWeights", "bf16");
		try (LanguageModel model = load(name)) {
			bf16 = decode(model, ref.tokens(), List.of(), false);
		}
		finally {
			System.clearProperty("lumen.engine.jvmWeights");
		}
		for (int step = 0; step < fp32.size(); step++) {
			float scale = 0;
			for (float v : fp32.get(step)) {
				scale = Math.max(scale, Math.abs(v));
			}
			float diff = maxAbsDiff(bf16.get(step), fp32.get(step));
			// bf16 keeps 8 significant bits: loose agreement, and not equality (the weights were rounded)
			assertThat(diff).as("step %d", step).isLessThan(0.05f * scale).isGreaterThan(0f);
		}
	}

	private LanguageModel load(String name) {
		return LanguageModel.load(ReferenceLibFixtures.copy(name, this.tmp.resolve(name + System.nanoTime())), Device.cpu());
	}

	/** Logits after each token fed alone, through the Java session or DJL steps on a KV cache. */
	private static List<float[]> decode(LanguageModel model, int[] tokens, List<HookSpec> hooks, boolean djl) {
		List<float[]> out = new ArrayList<>();
		if (djl) {
			try (KvCache cache = model.newCache(1)) {
				for (int t : tokens) {
					out.add(model.step(new int[][] { { t } }, new int[][] { { 1 } }, cache, hooks)[0]);
				}
			}
			return out;
		}
		try (DecodeSession s = model.openSession(1, hooks)) {
			assertThat(s.getClass().getName()).contains("JvmDecoder");
			for (int t : tokens) {
				out.add(s.step(new int[][] { { t } }, new int[][] { { 1 } })[0]);
			}
		}
		return out;
	}

	private static List<float[]> promptThenTokens(LanguageModel model, int[] prompt, int[] next, List<HookSpec> hooks) {
		List<float[]> out = new ArrayList<>();
		try (DecodeSession s = model.openSession(1, hooks)) {
			int[] ones = new int[prompt.length];
			Arrays.fill(ones, 1);
			out.add(s.step(new int[][] { prompt }, new int[][] { ones })[0]);
			for (int t : next) {
				out.add(s.step(new int[][] { { t } }, new int[][] { { 1 } })[0]);
			}
		}
		return out;
	}

	/** Adds a fixed pattern to every position's activation, on either path. */
	private static final class AddPattern implements PositionHook {

		private static float value(int i) {
			return 0.5f * (float) Math.sin(0.37 * i + 1);
		}

		@Override
		public void applyInPlace(float[] activation, String hookName, int step, boolean lastInStep) {
			for (int i = 0; i < activation.length; i++) {
				activation[i] += value(i);
			}
		}

		@Override
		public NDArray apply(NDArray activation, String hookName) {
			Shape perPosition = activation.getShape().slice(2);
			float[] pattern = new float[(int) perPosition.size()];
			for (int i = 0; i < pattern.length; i++) {
				pattern[i] = value(i);
			}
			return activation.add(activation.getManager().create(pattern, perPosition));
		}
	}
}
