package dev.lumen.engine.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.lumen.engine.model.ReferenceLibFixtures.Reference;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every hook point Lumen offers equals TransformerLens' own {@code run_with_cache} (from_pretrained_no_processing) on
 * the same random-weight models, within 1e-4, and Lumen offers every hook TransformerLens has there except the rotated
 * q/k, the embedding and the unembedding hooks. Fixtures: {@code tl_reference.safetensors}, written by {@code generate.py}.
 */
class TransformerLensHooksTest {

	private static final float TOLERANCE = 1e-4f;

	@TempDir
	Path tmp;

	@ParameterizedTest
	@ValueSource(strings = { "gpt2", "tl-neox", "tl-llama" })
	void everyHookEqualsTransformerLensRunWithCache(String name) {
		Reference ref = Reference.of(name, "tl_reference.safetensors");
		try (LanguageModel model = LanguageModel.load(ReferenceLibFixtures.copy(name, this.tmp), Device.cpu());
				NDManager m = NDManager.newBaseManager()) {
			ForwardResult r = model.runWithCache(m.create(new int[][] { ref.tokens() }), n -> true);
			java.util.Set<String> tlHooks = new java.util.TreeSet<>(ref.hooks().keySet());
			// not offered: the unembedding's input (ln_final after its gain) and output (the logits Lumen returns)
			assertThat(tlHooks.removeAll(List.of("unembed.hook_in", "unembed.hook_out"))).isTrue();
			assertThat(model.hookNames()).containsExactlyInAnyOrderElementsOf(tlHooks);
			for (String hook : model.hookNames()) {
				assertThat(gap(r.cache().get(hook).toFloatArray(), ref.hooks().get(hook))).as(hook).isLessThan(TOLERANCE);
			}
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "gpt2", "tl-neox", "tl-llama" })
	void newHooksEqualTransformerLensPositionByPositionWithAKvCache(String name) {
		Reference ref = Reference.of(name, "tl_reference.safetensors");
		int n = ref.tokens().length;
		try (LanguageModel model = LanguageModel.load(ReferenceLibFixtures.copy(name, this.tmp), Device.cpu())) {
			Map<String, List<float[]>> seen = new HashMap<>();
			List<HookSpec> hooks = new ArrayList<>();
			for (String hook : model.hookNames()) {
				if (!HookNames.offeredByJavaDecoder(hook)) {
					hooks.add(new HookSpec(hook, new Recorder(seen)));
				}
			}
			try (DecodeSession s = model.openSession(1, hooks)) {
				// the plain-Java decoder has none of these points, so even Llama decodes through DJL
				assertThat(s.getClass().getName()).doesNotContain("JvmDecoder");
				for (int t = 0; t < n; t++) {
					s.step(new int[][] { { ref.tokens()[t] } }, new int[][] { { 1 } });
				}
			}
			for (HookSpec spec : hooks) {
				String hook = spec.hookName();
				float[] expected = ref.hooks().get(hook);
				List<float[]> steps = seen.get(hook);
				assertThat(steps).as(hook).hasSize(n);
				boolean squares = hook.endsWith("hook_attn_scores") || hook.endsWith("hook_pattern");
				for (int t = 0; t < n; t++) {
					float[] want = squares ? queryRow(expected, n, t) : slice(expected, n, t);
					assertThat(gap(steps.get(t), want)).as("%s at %d", hook, t).isLessThan(TOLERANCE);
				}
			}
		}
	}

	@Test
	void replacingTheScaleActsLikeReplacingTheNormalizedActivation() {
		Reference ref = Reference.of("gpt2", "tl_reference.safetensors");
		try (LanguageModel model = LanguageModel.load(ReferenceLibFixtures.copy("gpt2", this.tmp), Device.cpu());
				NDManager m = NDManager.newBaseManager()) {
			NDArray tokens = m.create(new int[][] { ref.tokens() });
			float[] doubledScale = model.runWithHooks(tokens,
					List.of(new HookSpec(HookNames.ln2Scale(1), (a, h) -> a.mul(2f)))).toFloatArray();
			float[] halvedNormalized = model.runWithHooks(tokens,
					List.of(new HookSpec(HookNames.ln2Normalized(1), (a, h) -> a.div(2f)))).toFloatArray();
			float[] clean = model.runWithHooks(tokens, List.of()).toFloatArray();
			assertThat(gap(doubledScale, halvedNormalized)).isLessThan(TOLERANCE);
			assertThat(gap(doubledScale, clean)).isGreaterThan(1e-2f);
		}
	}

	@Test
	void aHookOnQueriesSeesThemUnscaledAndItsReplacementIsUsed() {
		Reference ref = Reference.of("tl-llama", "tl_reference.safetensors");
		try (LanguageModel model = LanguageModel.load(ReferenceLibFixtures.copy("tl-llama", this.tmp), Device.cpu());
				NDManager m = NDManager.newBaseManager()) {
			NDArray tokens = m.create(new int[][] { ref.tokens() });
			// doubling q doubles the scores: the same as doubling the recorded (unmasked) scores
			float[] viaQ = model.runWithHooks(tokens, List.of(new HookSpec(HookNames.attnQ(0), (a, h) -> a.mul(2f))))
				.toFloatArray();
			float[] viaScores = model.runWithHooks(tokens,
					List.of(new HookSpec(HookNames.attnScores(0), (a, h) -> a.mul(2f)))).toFloatArray();
			float[] clean = model.runWithHooks(tokens, List.of()).toFloatArray();
			assertThat(gap(viaQ, viaScores)).isLessThan(TOLERANCE);
			assertThat(gap(viaQ, clean)).isGreaterThan(1e-2f);
			// a uniform pattern over the visible keys changes the logits; zeroing it leaves only b_O (none here)
			float[] zeroPattern = model.runWithHooks(tokens,
					List.of(new HookSpec(HookNames.attnPattern(1), (a, h) -> a.zerosLike()))).toFloatArray();
			float[] zeroZ = model.runWithHooks(tokens, List.of(new HookSpec(HookNames.attnZ(1), (a, h) -> a.zerosLike())))
				.toFloatArray();
			assertThat(gap(zeroPattern, zeroZ)).isLessThan(TOLERANCE);
		}
	}

	/** Max |a − b|, where equal infinities (TransformerLens' masked scores) count as equal. */
	static float gap(float[] a, float[] b) {
		assertThat(a).hasSameSizeAs(b);
		float max = 0;
		for (int i = 0; i < a.length; i++) {
			if (a[i] == b[i]) {
				continue;
			}
			float d = Math.abs(a[i] - b[i]);
			max = Float.isNaN(d) ? Float.POSITIVE_INFINITY : Math.max(max, d);
		}
		return max;
	}

	private static float[] slice(float[] all, int positions, int t) {
		int width = all.length / positions;
		return Arrays.copyOfRange(all, t * width, (t + 1) * width);
	}

	/** Row t of every head's [query, key] square, keys 0..t: what step t of a KV-cached decode sees. */
	private static float[] queryRow(float[] all, int positions, int t) {
		int heads = all.length / (positions * positions);
		float[] row = new float[heads * (t + 1)];
		for (int h = 0; h < heads; h++) {
			System.arraycopy(all, (h * positions + t) * positions, row, h * (t + 1), t + 1);
		}
		return row;
	}

	/** Records each position's activation (a copy per step, nothing changed). */
	private record Recorder(Map<String, List<float[]>> seen) implements PositionHook {

		@Override
		public void applyInPlace(float[] activation, String hookName, int step, boolean lastInStep) {
			throw new AssertionError("the plain-Java decoder must not run hooks it does not offer: " + hookName);
		}

		@Override
		public NDArray apply(NDArray activation, String hookName) {
			this.seen.computeIfAbsent(hookName, k -> new ArrayList<>()).add(activation.toFloatArray());
			return activation;
		}
	}
}
