package dev.lumen.playground;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.lumen.engine.generate.GenerationOptions;
import dev.lumen.engine.generate.GenerationResult;
import dev.lumen.engine.generate.Generator;
import dev.lumen.engine.model.DecodeSession;
import dev.lumen.engine.model.ForwardResult;
import dev.lumen.engine.model.HookSpec;
import dev.lumen.engine.model.LanguageModel;
import dev.lumen.engine.sae.Sae;
import dev.lumen.playground.FeatureIntervention.Mode;
import dev.lumen.testing.RepoFiles;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Steering on the demo model with the demo SAE (TopK, 1024 features at blocks.1.hook_resid_post). */
class SteeringHookTest {

	static final String PROMPT = "Once upon a time, there was a little girl named Lily. She loved to";

	static LanguageModel model;

	static Sae sae;

	@BeforeAll
	static void load() throws Exception {
		model = LanguageModel.load(RepoFiles.DEMO_MODEL, Device.cpu());
		sae = Sae.loadFromDisk(RepoFiles.root().resolve("demo/sae/tinystories-1m-blocks.1.hook_resid_post-1024"), Device.cpu());
	}

	@AfterAll
	static void close() throws Exception {
		sae.close();
		model.close();
	}

	/** The SAE activations at the hook for the prompt, [pos][dSae]. */
	static float[][] activations(int[] ids) {
		try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
			String hook = sae.config().hookName();
			ForwardResult r = model.run(new int[][] { ids }, null, List.of(), hook::equals, -1, m);
			NDArray f = sae.encode(r.cache().get(hook)); // [1, pos, dSae]
			float[][] out = new float[ids.length][];
			for (int p = 0; p < ids.length; p++) {
				out[p] = f.get(new NDIndex("0, {}, :", p)).toFloatArray();
			}
			return out;
		}
	}

	static float[] lastLogits(int[] ids, List<HookSpec> hooks) {
		try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
			NDArray logits = model.runWithHooks(m.create(ids, new Shape(1, ids.length)), hooks); // [1, pos, vocab]
			return logits.get(new NDIndex("0, -1, :")).toFloatArray();
		}
	}

	static float[] softmax(float[] logits) {
		double max = Double.NEGATIVE_INFINITY;
		for (float l : logits) {
			max = Math.max(max, l);
		}
		double sum = 0;
		double[] e = new double[logits.length];
		for (int i = 0; i < logits.length; i++) {
			e[i] = Math.exp(logits[i] - max);
			sum += e[i];
		}
		float[] p = new float[logits.length];
		for (int i = 0; i < logits.length; i++) {
			p[i] = (float) (e[i] / sum);
		}
		return p;
	}

	static int[] topFeatures(float[] f, int n) {
		Integer[] order = new Integer[f.length];
		for (int i = 0; i < f.length; i++) {
			order[i] = i;
		}
		Arrays.sort(order, (a, b) -> Float.compare(f[b], f[a]));
		int[] out = new int[n];
		for (int i = 0; i < n; i++) {
			out[i] = order[i];
		}
		return out;
	}

	@Test
	void clampingEachFeatureToItsOwnCurrentValueReproducesTheUnsteeredLogits() throws Exception {
		int[] prompt = model.tokenizer().encode(PROMPT, true);
		int next = 261; // any token: the step after the prompt is the one that is steered
		int[] full = Arrays.copyOf(prompt, prompt.length + 1);
		full[prompt.length] = next;
		float[] current = activations(full)[prompt.length]; // [dSae] at the steered position
		List<FeatureIntervention> clamps = new ArrayList<>();
		for (int feature : topFeatures(current, 8)) {
			clamps.add(new FeatureIntervention(feature, Mode.CLAMP, current[feature]));
		}
		assertThat(clamps.get(0).value()).as("the position has active features").isGreaterThan(0f);
		float[] plain = step(prompt, next, List.of());
		float[] steered = step(prompt, next, List.of(new SteeringHook(sae, clamps, SteeringPositions.GENERATED).spec()));
		for (int v = 0; v < plain.length; v++) {
			assertThat(steered[v]).as("logit %d", v).isCloseTo(plain[v], org.assertj.core.data.Offset.offset(1e-5f));
		}
	}

	@Test
	void steeringOnThePlainJavaDecoderMatchesTheDjlPath() throws Exception {
		int[] prompt = model.tokenizer().encode(PROMPT, true);
		for (SteeringPositions positions : SteeringPositions.values()) {
			List<FeatureIntervention> changes = List.of(new FeatureIntervention(17, Mode.CLAMP, 20f),
					new FeatureIntervention(400, Mode.ADD, -3f));
			float[] jvm;
			try (DecodeSession session = model.openSession(1, List.of(new SteeringHook(sae, changes, positions).spec()))) {
				assertThat(session.getClass().getName()).contains("JvmDecoder");
				int[] ones = new int[prompt.length];
				Arrays.fill(ones, 1);
				session.step(new int[][] { prompt }, new int[][] { ones });
				jvm = session.step(new int[][] { { 261 } }, new int[][] { { 1 } })[0];
			}
			float[] djl;
			List<HookSpec> hooks = List.of(new SteeringHook(sae, changes, positions).spec());
			try (dev.lumen.engine.model.KvCache cache = model.newCache(1)) {
				int[] ones = new int[prompt.length];
				Arrays.fill(ones, 1);
				model.step(new int[][] { prompt }, new int[][] { ones }, cache, hooks);
				djl = model.step(new int[][] { { 261 } }, new int[][] { { 1 } }, cache, hooks)[0];
			}
			float[] plain = step(prompt, 261, List.of());
			float maxDiff = 0;
			float maxEffect = 0;
			for (int v = 0; v < jvm.length; v++) {
				maxDiff = Math.max(maxDiff, Math.abs(jvm[v] - djl[v]));
				maxEffect = Math.max(maxEffect, Math.abs(jvm[v] - plain[v]));
			}
			assertThat(maxDiff).as("%s: Java vs DJL path", positions).isLessThan(1e-4f);
			assertThat(maxEffect).as("%s: the steering changed the logits", positions).isGreaterThan(0.1f);
		}
	}

	/** The logits after feeding {@code next} to a session that has processed {@code prompt}. */
	static float[] step(int[] prompt, int next, List<HookSpec> hooks) throws Exception {
		try (DecodeSession session = model.openSession(1, hooks)) {
			int[] ones = new int[prompt.length];
			Arrays.fill(ones, 1);
			session.step(new int[][] { prompt }, new int[][] { ones });
			return session.step(new int[][] { { next } }, new int[][] { { 1 } })[0];
		}
	}

	@Test
	void theShortcutEqualsDecodeOfChangedFeaturesPlusTheErrorTerm() {
		int[] ids = model.tokenizer().encode(PROMPT, true);
		String hook = sae.config().hookName();
		List<FeatureIntervention> changes = List.of(new FeatureIntervention(17, Mode.CLAMP, 6.5f),
				new FeatureIntervention(400, Mode.CLAMP, 0f), new FeatureIntervention(3, Mode.ADD, 2.5f));
		try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
			NDArray x = model.run(new int[][] { ids }, null, List.of(), hook::equals, -1, m).cache().get(hook); // [1, pos, dIn]
			NDArray got = new SteeringHook(sae, changes, SteeringPositions.ALL).apply(x, hook);
			// the formula, written out: x' = decode(f') + (x - decode(f)) + alpha * W_dec,3
			NDArray f = sae.encode(x);
			NDArray changed = f.duplicate();
			changed.set(new NDIndex(":, :, 17"), 6.5f);
			changed.set(new NDIndex(":, :, 400"), 0f);
			NDArray expected = sae.decode(changed).add(x.sub(sae.decode(f)))
				.add(m.create(sae.decoderVector(3)).mul(2.5f));
			float[] a = got.toFloatArray();
			float[] b = expected.toFloatArray();
			assertThat(a).hasSameSizeAs(b);
			for (int i = 0; i < a.length; i++) {
				assertThat(a[i]).as("element %d", i).isCloseTo(b[i], org.assertj.core.data.Offset.offset(1e-4f));
			}
			assertThat(got.sub(x).abs().max().getFloat()).as("the change is not nothing").isGreaterThan(0.05f);
		}
	}

	@Test
	void addingWithAlphaZeroChangesNothing() {
		int[] ids = model.tokenizer().encode(PROMPT, true);
		float[] plain = lastLogits(ids, List.of());
		float[] steered = lastLogits(ids, List.of(new SteeringHook(sae,
				List.of(new FeatureIntervention(5, Mode.ADD, 0f), new FeatureIntervention(9, Mode.ADD, 0f)), SteeringPositions.ALL)
			.spec()));
		assertThat(steered).containsExactly(plain);
	}

	@Test
	void aLargeClampMeasurablyChangesTheNextTokenDistribution() {
		int[] ids = model.tokenizer().encode(PROMPT, true);
		float[][] f = activations(ids);
		// the feature most active anywhere in the prompt, clamped to 10x its maximum there
		int best = 0;
		float max = 0;
		for (float[] row : f) {
			for (int i = 0; i < row.length; i++) {
				if (row[i] > max) {
					max = row[i];
					best = i;
				}
			}
		}
		float[] p = softmax(lastLogits(ids, List.of()));
		float[] q = softmax(lastLogits(ids, List.of(new SteeringHook(sae,
				List.of(new FeatureIntervention(best, Mode.CLAMP, 10 * max)), SteeringPositions.ALL).spec())));
		double totalVariation = 0;
		for (int v = 0; v < p.length; v++) {
			totalVariation += Math.abs(p[v] - q[v]) / 2;
		}
		assertThat(totalVariation).as("total variation distance of the next-token distributions").isGreaterThan(0.2);
	}

	@Test
	void aStrongPositiveClampRaisesTheProbabilityOfTheFeaturesTopLogitEffectTokens() {
		List<String> prompts = List.of(PROMPT, "The sun was shining and the birds were singing. Tom went outside and",
				"Sara had a red ball. She threw it to her dog, who");
		for (String text : prompts) {
			int[] ids = model.tokenizer().encode(text, true);
			float[][] f = activations(ids);
			// the prompt's most active feature (after BOS), clamped to 10x its maximum over the prompt
			int best = 0;
			float max = 0;
			for (int p = 1; p < f.length; p++) {
				for (int i = 0; i < f[p].length; i++) {
					if (f[p][i] > max) {
						max = f[p][i];
						best = i;
					}
				}
			}
			// its logit effects: the decoder row through the final norm gain and the unembedding
			float[] effect = model.directionLogits(new float[][] { sae.decoderVector(best) })[0];
			int[] top = topFeatures(effect, 10); // the 10 tokens it promotes most
			float[] p = softmax(lastLogits(ids, List.of()));
			float[] q = softmax(lastLogits(ids, List.of(new SteeringHook(sae,
					List.of(new FeatureIntervention(best, Mode.CLAMP, 10 * max)), SteeringPositions.ALL).spec())));
			double before = 0;
			double after = 0;
			for (int token : top) {
				before += p[token];
				after += q[token];
			}
			assertThat(after).as("'%s': P(top-10 logit-effect tokens of feature %d) %.4f -> %.4f", text, best, before, after)
				.isGreaterThan(before * 2);
		}
	}

	@Test
	void theSameSeedGivesTheSameTokensForDefaultAndSteeredGeneration() {
		int[] ids = model.tokenizer().encode(PROMPT, true);
		GenerationOptions options = GenerationOptions.sampling(20, 0.9f, 0.95f, 1234);
		Generator generator = new Generator(model);
		List<FeatureIntervention> clamp = List.of(new FeatureIntervention(17, Mode.CLAMP, 20f));
		GenerationResult plainA = generator.generate(ids, options, (id, text) -> { });
		GenerationResult plainB = generator.generate(ids, options, (id, text) -> { });
		GenerationResult steeredA = generator.generate(ids, options,
				List.of(new SteeringHook(sae, clamp, SteeringPositions.ALL).spec()), (id, text) -> { });
		GenerationResult steeredB = generator.generate(ids, options,
				List.of(new SteeringHook(sae, clamp, SteeringPositions.ALL).spec()), (id, text) -> { });
		assertThat(plainA.tokens()).hasSize(20).containsExactly(plainB.tokens());
		assertThat(steeredA.tokens()).containsExactly(steeredB.tokens());
		assertThat(steeredA.tokens()).as("the clamp changes what is generated").isNotEqualTo(plainA.tokens());
	}

	@Test
	void theRecordedActivationsAreTheFeaturesActivationsAtEachGeneratedToken() {
		int[] ids = model.tokenizer().encode(PROMPT, true);
		SteeringHook hook = new SteeringHook(sae, List.of(new FeatureIntervention(17, Mode.ADD, 0f),
				new FeatureIntervention(400, Mode.ADD, 0f)), SteeringPositions.ALL);
		GenerationResult g = new Generator(model).generate(ids, GenerationOptions.greedy(6), List.of(hook.spec()), (id, t) -> {
		});
		int[] all = Arrays.copyOf(ids, ids.length + g.tokens().length);
		System.arraycopy(g.tokens(), 0, all, ids.length, g.tokens().length);
		float[][] reference = activations(all); // an unsteered forward over prompt + generated tokens
		List<float[]> recorded = hook.lastPositionActivations();
		assertThat(recorded).hasSize(g.tokens().length); // the prompt call plus every generated token but the last
		for (int t = 0; t + 1 < recorded.size(); t++) {
			float[] row = reference[ids.length + t];
			assertThat(recorded.get(t + 1)[0]).as("feature 17 at generated token %d", t).isCloseTo(row[17], org.assertj.core.data.Offset.offset(1e-4f));
			assertThat(recorded.get(t + 1)[1]).as("feature 400 at generated token %d", t).isCloseTo(row[400], org.assertj.core.data.Offset.offset(1e-4f));
		}
		assertThat(recorded.get(0)[0]).isCloseTo(reference[ids.length - 1][17], org.assertj.core.data.Offset.offset(1e-4f));
	}

	@Test
	void generatedOnlyLeavesThePromptStepUnchanged() throws Exception {
		int[] ids = model.tokenizer().encode(PROMPT, true);
		try (DecodeSession plain = model.openSession(1, List.of());
				DecodeSession steered = model.openSession(1, List.of(new SteeringHook(sae,
						List.of(new FeatureIntervention(17, Mode.CLAMP, 50f)), SteeringPositions.GENERATED).spec()))) {
			int[] ones = new int[ids.length];
			Arrays.fill(ones, 1);
			float[] a = plain.step(new int[][] { ids }, new int[][] { ones })[0];
			float[] b = steered.step(new int[][] { ids }, new int[][] { ones })[0];
			// a session without hooks may take another kernel path: equal within float rounding, not bit for bit
			for (int v = 0; v < a.length; v++) {
				assertThat(b[v]).as("prompt-step logit %d", v).isCloseTo(a[v], org.assertj.core.data.Offset.offset(1e-5f));
			}
			float[] a2 = plain.step(new int[][] { { 261 } }, new int[][] { { 1 } })[0];
			float[] b2 = steered.step(new int[][] { { 261 } }, new int[][] { { 1 } })[0];
			double largest = 0;
			for (int v = 0; v < a2.length; v++) {
				largest = Math.max(largest, Math.abs(a2[v] - b2[v]));
			}
			assertThat(largest).as("the generated step is steered").isGreaterThan(0.1);
		}
	}
}
