package dev.lumen.engine.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.lumen.engine.testing.RepoAssets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A {@link PositionHook} must change generation the same way on the plain-Java decoder (one position at a
 * time, in place) as through DJL (one call per step over all new positions): same logits at every step, and the
 * same step numbering.
 */
class PositionHookParityTest {

	private static final int[] PROMPT = { 1, 403, 411, 262, 1001, 281 };

	private static final int[] NEXT = { 396, 261, 1520 };

	private static LanguageModel model;

	@BeforeAll
	static void load() {
		model = LanguageModel.load(RepoAssets.model("tinystories-1m/model.bin"), Device.cpu());
	}

	@AfterAll
	static void close() {
		model.close();
	}

	/** Adds a fixed pattern to the activation and notes where it was called. */
	private static final class AddPattern implements PositionHook {

		final float scale;

		final List<String> calls = new ArrayList<>(); // "step:lastInStep" on the Java path, "step:positions" on DJL

		private int djlCalls;

		AddPattern(float scale) {
			this.scale = scale;
		}

		float value(int i) {
			return this.scale * (float) Math.sin(0.37 * i + 1);
		}

		@Override
		public void applyInPlace(float[] activation, String hookName, int step, boolean lastInStep) {
			this.calls.add(step + ":" + lastInStep);
			for (int i = 0; i < activation.length; i++) {
				activation[i] += value(i);
			}
		}

		@Override
		public NDArray apply(NDArray activation, String hookName) {
			Shape shape = activation.getShape();
			Shape perPosition = shape.slice(2);
			float[] pattern = new float[(int) perPosition.size()];
			for (int i = 0; i < pattern.length; i++) {
				pattern[i] = value(i);
			}
			this.calls.add(this.djlCalls++ + ":" + shape.get(1));
			return activation.add(activation.getManager().create(pattern, perPosition));
		}
	}

	private static List<float[]> jvmPath(List<HookSpec> hooks) {
		List<float[]> out = new ArrayList<>();
		try (DecodeSession s = model.openSession(1, hooks)) {
			assertThat(s.getClass().getName()).contains("JvmDecoder");
			out.add(s.step(new int[][] { PROMPT }, new int[][] { ones(PROMPT.length) })[0]);
			for (int t : NEXT) {
				out.add(s.step(new int[][] { { t } }, new int[][] { { 1 } })[0]);
			}
		}
		return out;
	}

	private static List<float[]> djlPath(List<HookSpec> hooks) {
		List<float[]> out = new ArrayList<>();
		try (KvCache cache = model.newCache(1)) {
			out.add(model.step(new int[][] { PROMPT }, new int[][] { ones(PROMPT.length) }, cache, hooks)[0]);
			for (int t : NEXT) {
				out.add(model.step(new int[][] { { t } }, new int[][] { { 1 } }, cache, hooks)[0]);
			}
		}
		return out;
	}

	@ParameterizedTest
	@ValueSource(strings = { "blocks.0.hook_resid_pre", "blocks.1.attn.hook_z", "blocks.1.hook_attn_out",
			"blocks.2.hook_resid_mid", "blocks.2.mlp.hook_post", "blocks.3.hook_mlp_out", "blocks.1.hook_resid_post",
			"ln_final.hook_normalized", "blocks.0.ln1.hook_normalized", "blocks.3.ln2.hook_normalized" })
	void hookChangesLogitsAsOnTheDjlPath(String hookName) {
		List<float[]> plain = jvmPath(List.of());
		List<float[]> jvm = jvmPath(List.of(new HookSpec(hookName, new AddPattern(0.5f))));
		List<float[]> djl = djlPath(List.of(new HookSpec(hookName, new AddPattern(0.5f))));
		for (int step = 0; step < jvm.size(); step++) {
			assertThat(maxAbsDiff(jvm.get(step), djl.get(step))).as("step %d", step).isLessThan(1e-4f);
			// and the hook did change something, so the comparison is not vacuous
			assertThat(maxAbsDiff(jvm.get(step), plain.get(step))).as("step %d", step).isGreaterThan(1e-2f);
		}
	}

	@Test
	void hooksSeeEveryPositionWithTheStepItBelongsTo() {
		AddPattern onJvm = new AddPattern(0f);
		AddPattern onDjl = new AddPattern(0f);
		jvmPath(List.of(new HookSpec(HookNames.residPost(0), onJvm)));
		djlPath(List.of(new HookSpec(HookNames.residPost(0), onDjl)));
		assertThat(onJvm.calls).containsExactly("0:false", "0:false", "0:false", "0:false", "0:false", "0:true",
				"1:true", "2:true", "3:true");
		// DJL: one call per step, over the prompt's 6 positions and then 1
		assertThat(onDjl.calls).containsExactly("0:6", "1:1", "2:1", "3:1");
	}

	@Test
	void twoDecodeThreadsGiveTheSameLogitsAsOne() {
		List<HookSpec> hooks = List.of(new HookSpec(HookNames.residMid(1), new AddPattern(0.5f)));
		List<float[]> one = jvmPath(hooks);
		List<float[]> two;
		System.setProperty("lumen.engine.decodeThreads", "2");
		try {
			two = jvmPath(hooks);
		}
		finally {
			System.clearProperty("lumen.engine.decodeThreads");
		}
		for (int step = 0; step < one.size(); step++) {
			assertThat(two.get(step)).containsExactly(one.get(step));
		}
	}

	@Test
	void aLongPromptGoesThroughDjlAndDecodingContinuesInJavaWithTheSameLogits() {
		AddPattern javaOnly = new AddPattern(0.5f);
		AddPattern hybrid = new AddPattern(0.5f);
		List<float[]> expected = jvmPath(List.of(new HookSpec(HookNames.residMid(2), javaOnly)));
		List<float[]> got;
		System.setProperty("lumen.engine.djlPrefillWork", "1"); // every prompt counts as long
		try {
			got = jvmPath(List.of(new HookSpec(HookNames.residMid(2), hybrid)));
		}
		finally {
			System.clearProperty("lumen.engine.djlPrefillWork");
		}
		for (int step = 0; step < expected.size(); step++) {
			assertThat(maxAbsDiff(got.get(step), expected.get(step))).as("step %d", step).isLessThan(1e-4f);
		}
		// the prompt was one DJL call over its 6 positions; later steps ran in Java
		assertThat(hybrid.calls).containsExactly("0:6", "1:true", "2:true", "3:true");
	}

	@Test
	void anyOtherHookFunctionRunsThroughDjl() {
		HookFunction plainHook = (activation, name) -> activation;
		try (DecodeSession s = model.openSession(1, List.of(new HookSpec(HookNames.residPost(0), plainHook)))) {
			assertThat(s.getClass().getName()).doesNotContain("JvmDecoder");
		}
	}

	private static float maxAbsDiff(float[] a, float[] b) {
		float max = 0;
		for (int i = 0; i < a.length; i++) {
			max = Math.max(max, Math.abs(a[i] - b[i]));
		}
		return max;
	}

	private static int[] ones(int n) {
		int[] a = new int[n];
		java.util.Arrays.fill(a, 1);
		return a;
	}
}
