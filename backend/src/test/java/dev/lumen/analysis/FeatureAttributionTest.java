package dev.lumen.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import dev.lumen.engine.model.HookSpec;
import dev.lumen.engine.model.LanguageModel;
import dev.lumen.engine.sae.Sae;
import dev.lumen.testing.RepoFiles;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Attribution and ablation on the demo model with the demo SAE (TopK, 1024 features at blocks.1.hook_resid_post). */
class FeatureAttributionTest {

	static final String PROMPT = "Once upon a time, there was a little girl named Lily. She loved to";

	static LanguageModel model;

	static Sae sae;

	static int[] tokens;

	static int target;

	static int contrast;

	static Attribution attribution;

	@BeforeAll
	static void load() {
		model = LanguageModel.load(RepoFiles.DEMO_MODEL, Device.cpu());
		sae = Sae.loadFromDisk(RepoFiles.root().resolve("demo/sae/tinystories-1m-blocks.1.hook_resid_post-1024"), Device.cpu());
		tokens = model.tokenizer().encode(PROMPT, true);
		float[] logits = lastLogits(List.of());
		Integer[] order = IntStream.range(0, logits.length).boxed().sorted(Comparator.comparingDouble(i -> -logits[i]))
				.toArray(Integer[]::new);
		target = order[0];
		contrast = order[1];
		attribution = FeatureAttributor.attribute(model, sae, tokens, target, contrast);
	}

	@AfterAll
	static void close() {
		sae.close();
		model.close();
	}

	static float[] lastLogits(List<HookSpec> hooks) {
		try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
			NDArray logits = model.run(new int[][] { tokens }, null, hooks, null, -1, m).logits();
			return logits.get(new NDIndex("0, {}, :", tokens.length - 1)).toType(DataType.FLOAT32, false).toFloatArray();
		}
	}

	/** Logit difference with eps · W_dec,feature added at one position: the same as moving f by eps there. */
	static float differenceWithFeatureMoved(int position, int feature, float eps) {
		float[] row = sae.decoderVector(feature);
		HookSpec move = new HookSpec(sae.config().hookName(), (x, name) -> {
			float[] flat = x.toFloatArray(); // [1, pos, dIn]
			int dIn = row.length;
			for (int d = 0; d < dIn; d++) {
				flat[position * dIn + d] += eps * row[d];
			}
			return x.getManager().create(flat, x.getShape());
		});
		float[] logits = lastLogits(List.of(move));
		return logits[target] - logits[contrast];
	}

	@Test
	void theSpliceLeavesTheForwardPassUnchanged() {
		float[] clean = lastLogits(List.of());
		assertThat(attribution.logitDifference()).isCloseTo(clean[target] - clean[contrast], within(1e-4f));
		assertThat(attribution.logitDifference()).isPositive();
	}

	@Test
	void attributionEqualsActivationTimesAFiniteDifferenceGradient() {
		// the 8 largest |activation × gradient| entries, all positions
		List<int[]> top = new ArrayList<>();
		for (int p = 1; p < tokens.length; p++) {
			for (int i = 0; i < sae.config().dSae(); i++) {
				if (attribution.activations()[p][i] != 0f) {
					top.add(new int[] { p, i });
				}
			}
		}
		top.sort(Comparator.comparingDouble(pi -> -Math.abs(attribution.attribution(pi[0], pi[1]))));
		float eps = 1e-2f;
		for (int[] pi : top.subList(0, 8)) {
			float gradient = (differenceWithFeatureMoved(pi[0], pi[1], eps) - differenceWithFeatureMoved(pi[0], pi[1], -eps))
					/ (2 * eps);
			float expected = attribution.activations()[pi[0]][pi[1]] * gradient;
			System.out.printf("position %d feature %d: backward %.5f finite difference %.5f attribution %.5f%n", pi[0], pi[1],
					attribution.gradients()[pi[0]][pi[1]], gradient, attribution.attribution(pi[0], pi[1]));
			// float32 logits (~10) differenced over 2·eps: rounding ~1e-6·10/0.02 = 5e-4 in the gradient; the
			// downstream network is smooth, so the O(eps²) term is smaller still
			assertThat(attribution.gradients()[pi[0]][pi[1]]).as("gradient at position %d, feature %d", pi[0], pi[1])
					.isCloseTo(gradient, within(2e-3f + 0.01f * Math.abs(gradient)));
			assertThat(attribution.attribution(pi[0], pi[1])).isCloseTo(expected,
					within(2e-3f * attribution.activations()[pi[0]][pi[1]] + 0.01f * Math.abs(expected)));
		}
	}

	@Test
	void ablatingAFeatureThatNeverFiresChangesNothing() {
		int silent = IntStream.range(0, sae.config().dSae()).filter(i -> !attribution.active(i)).findFirst().orElseThrow();
		int active = IntStream.range(0, sae.config().dSae()).filter(attribution::active).findFirst().orElseThrow();
		float clean = FeatureAblator.cleanLogitDifference(model, tokens, target, contrast);
		float[] ablated = FeatureAblator.logitDifferences(model, sae, tokens, target, contrast,
				List.of(new int[] { silent }, new int[] { active }));
		assertThat(ablated[0]).isCloseTo(clean, within(1e-5f));
		assertThat(ablated[1]).isNotCloseTo(clean, within(1e-5f));
	}

	@Test
	void zeroingEveryFeatureLeavesOnlyTheErrorTermAndTheDecoderBias() {
		// independent: replace the hook activation after BOS by b_dec + (x − decode(encode(x)))
		HookSpec errorOnly = new HookSpec(sae.config().hookName(), (x, name) -> {
			NDArray rest = x.get(new NDIndex(":, 1:, :"));
			NDArray bDec = sae.decode(sae.encode(rest).zerosLike()); // b_dec broadcast
			NDArray replaced = rest.sub(sae.forward(rest)).add(bDec);
			return x.get(new NDIndex(":, 0:1, :")).concat(replaced, 1);
		});
		float[] expected = lastLogits(List.of(errorOnly));
		int[] all = IntStream.range(0, sae.config().dSae()).toArray();
		float[] ablated = FeatureAblator.logitDifferences(model, sae, tokens, target, contrast, List.of(all));
		assertThat(ablated[0]).isCloseTo(expected[target] - expected[contrast], within(1e-4f));
		assertThat(ablated[0]).isNotCloseTo(attribution.logitDifference(), within(0.1f));
	}

	@Test
	void topAttributedFeaturesAblationsMoveTheDifferenceInTheAttributedDirection() {
		int[] top = IntStream.range(0, sae.config().dSae()).filter(attribution::active).boxed()
				.sorted(Comparator.comparingDouble(i -> -Math.abs(attribution.summedAttribution(i))))
				.mapToInt(Integer::intValue).limit(10).toArray();
		List<int[]> sets = new ArrayList<>();
		for (int i : top) {
			sets.add(new int[] { i });
		}
		float clean = attribution.logitDifference();
		System.out.printf("target '%s' vs contrast '%s': logit difference %.4f%n", model.tokenizer().tokenString(target),
				model.tokenizer().tokenString(contrast), clean);
		float[] ablated = FeatureAblator.logitDifferences(model, sae, tokens, target, contrast, sets);
		int agree = 0;
		double[] a = new double[top.length];
		double[] e = new double[top.length];
		for (int k = 0; k < top.length; k++) {
			a[k] = attribution.summedAttribution(top[k]);
			e[k] = clean - ablated[k]; // what the feature contributed
			System.out.printf("feature %d attribution %.4f ablation contribution %.4f%n", top[k], a[k], e[k]);
			if (Math.signum(a[k]) == Math.signum(e[k])) {
				agree++;
			}
		}
		double r = Correlation.pearson(a, e);
		System.out.printf("sign agreement %d/%d, Pearson r %.3f%n", agree, top.length, r);
		assertThat(agree).isGreaterThanOrEqualTo(8);
		assertThat(r).isGreaterThan(0.8);
	}
}
