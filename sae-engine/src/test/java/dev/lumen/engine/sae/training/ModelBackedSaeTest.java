package dev.lumen.engine.sae.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.lumen.engine.model.HookNames;
import dev.lumen.engine.model.LanguageModel;
import dev.lumen.engine.sae.Sae;
import dev.lumen.engine.sae.SaeArchitecture;
import dev.lumen.engine.sae.SaeConfig;
import dev.lumen.engine.sae.SaeParameters;
import dev.lumen.engine.testing.RepoAssets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Activation collection, tokenization shortcuts and evaluation against the real tinystories-1m model. */
class ModelBackedSaeTest {

	private static final String HOOK = HookNames.residPost(1);

	private static LanguageModel model;

	private static List<String> heldOut;

	@BeforeAll
	static void load() {
		model = LanguageModel.load(RepoAssets.model("tinystories-1m/model.bin"), Device.cpu());
		heldOut = Corpus.documents(RepoAssets.corpus("tinystories-heldout.txt"));
	}

	@AfterAll
	static void close() {
		model.close();
	}

	@Test
	void wordChunkedEncodingEqualsWholeEncoding() {
		Function<String, int[]> fast = WordChunkedEncoder.forTokenizer(model.tokenizer(), heldOut.get(0));
		for (int i = 0; i < 4; i++) {
			String doc = heldOut.get(i);
			assertThat(fast.apply(doc)).containsExactly(model.tokenizer().encode(doc, false));
		}
		assertThat(WordChunkedEncoder.encodeChunked(model.tokenizer(), "Once upon  a time.\nThe end"))
			.containsExactly(model.tokenizer().encode("Once upon  a time.\nThe end", false));
	}

	@Test
	void trainingOnAHookThatIsNotDModelWideIsRefusedBeforeAnyWork() {
		for (String hook : List.of(HookNames.attnPattern(1), HookNames.attnQ(0), HookNames.mlpPost(1))) {
			org.assertj.core.api.Assertions.assertThatThrownBy(
					() -> new ModelActivationSource(model, hook, heldOut, 16, 2, 64, 1))
				.isInstanceOf(IllegalArgumentException.class)
				.hasMessageContaining("hook " + hook + " has shape")
				.hasMessageContaining("dModel=128");
		}
	}

	@Test
	void sourceYieldsTheHookActivationsOfNonBosPositions() {
		int ctx = 16;
		int contexts = 3;
		int rows = contexts * (ctx - 1);
		float[] got;
		// a buffer of exactly one forward pass serves its first rows/2 + 1 draws from that pass alone
		int draws = rows / 2 + 1;
		try (ModelActivationSource source = new ModelActivationSource(model, HOOK, heldOut, ctx, contexts, rows, 1)) {
			got = source.nextBatch(draws);
		}
		int[][] ids = SaeEvaluator.contexts(model, heldOut, ctx, contexts);
		float[] expected;
		try (NDManager m = NDManager.newBaseManager()) {
			NDArray act = model.runWithCache(m.create(ids), HOOK::equals).cache().get(HOOK);
			expected = act.get(":, 1:, :").toFloatArray();
		}
		int d = model.config().dModel();
		Set<Integer> matched = new HashSet<>();
		for (int t = 0; t < draws; t++) {
			int match = -1;
			for (int r = 0; r < rows && match < 0; r++) {
				if (maxAbsDiff(got, t * d, expected, r * d, d) < 1e-5) {
					match = r;
				}
			}
			assertThat(match).as("row %d is the activation of some non-BOS position", t).isNotNegative();
			assertThat(matched.add(match)).as("position served twice").isTrue();
		}
	}

	private static double maxAbsDiff(float[] a, int offA, float[] b, int offB, int n) {
		double max = 0;
		for (int i = 0; i < n; i++) {
			max = Math.max(max, Math.abs(a[offA + i] - b[offB + i]));
		}
		return max;
	}

	@Test
	void perfectReconstructionRecoversAllCeLossAndZeroSaeRecoversNone() {
		int d = model.config().dModel();
		// f = [relu(x), relu(-x)] and x̂ = relu(x) − relu(−x) = x exactly
		float[] wEnc = new float[d * 2 * d];
		float[] wDec = new float[2 * d * d];
		for (int i = 0; i < d; i++) {
			wEnc[i * 2 * d + i] = 1;
			wEnc[i * 2 * d + d + i] = -1;
			wDec[i * d + i] = 1;
			wDec[(d + i) * d + i] = -1;
		}
		SaeConfig cfg = SaeConfig.of(d, 2 * d, SaeArchitecture.STANDARD, 0, HOOK, "tinystories-1m").withApplyBDecToInput(false);
		SaeEvalResult perfect;
		SaeEvalResult zero;
		try (Sae sae = Sae.create(cfg, new SaeParameters(wEnc, new float[2 * d], wDec, new float[d], null), Device.cpu())) {
			perfect = SaeEvaluator.evaluate(model, sae, heldOut, 32, 6, 4);
		}
		try (Sae sae = Sae.create(cfg, new SaeParameters(new float[d * 2 * d], new float[2 * d], new float[2 * d * d],
				new float[d], null), Device.cpu())) {
			zero = SaeEvaluator.evaluate(model, sae, heldOut, 32, 6, 4);
		}
		double ceReference = referenceCrossEntropy(SaeEvaluator.contexts(model, heldOut, 32, 6));
		assertThat(perfect.ceClean()).isCloseTo(ceReference, within(1e-4));
		assertThat(perfect.tokens()).isEqualTo(6 * 31);
		assertThat(perfect.ceSae()).isCloseTo(perfect.ceClean(), within(1e-4));
		assertThat(perfect.ceLossRecovered()).isCloseTo(1.0, within(1e-3));
		assertThat(perfect.explainedVariance()).isCloseTo(1.0, within(1e-5));
		assertThat(perfect.klSae()).isCloseTo(0.0, within(1e-4));
		assertThat(perfect.ceZero()).isGreaterThan(perfect.ceClean() + 0.5);

		assertThat(zero.l0()).isZero();
		assertThat(zero.deadFraction()).isEqualTo(1.0);
		assertThat(zero.ceSae()).isCloseTo(zero.ceZero(), within(1e-4));
		assertThat(zero.ceLossRecovered()).isCloseTo(0.0, within(1e-3));
		assertThat(zero.explainedVariance()).isLessThan(0.0);
	}

	/** Mean CE of predictions at positions 1..pos−2, by explicit log-softmax loops over the clean logits. */
	private static double referenceCrossEntropy(int[][] ids) {
		double total = 0;
		long count = 0;
		try (NDManager m = NDManager.newBaseManager()) {
			NDArray logits = model.forward(m.create(ids));
			int vocab = (int) logits.getShape().get(2);
			float[] l = logits.toFloatArray();
			int pos = ids[0].length;
			for (int b = 0; b < ids.length; b++) {
				for (int p = 1; p < pos - 1; p++) {
					int off = (b * pos + p) * vocab;
					double max = Double.NEGATIVE_INFINITY;
					for (int v = 0; v < vocab; v++) {
						max = Math.max(max, l[off + v]);
					}
					double sum = 0;
					for (int v = 0; v < vocab; v++) {
						sum += Math.exp(l[off + v] - max);
					}
					total += -(l[off + ids[b][p + 1]] - max - Math.log(sum));
					count++;
				}
			}
		}
		return total / count;
	}

	@Test
	void shippedDemoSaeMeetsItsTargetsOnHeldOutText() {
		try (Sae sae = Sae.loadFromDisk(RepoAssets.root().resolve("demo/sae/tinystories-1m-blocks.1.hook_resid_post-1024"),
				Device.cpu())) {
			assertThat(sae.config().hookName()).isEqualTo(HOOK);
			assertThat(sae.config().dSae()).isGreaterThanOrEqualTo(8 * model.config().dModel());
			SaeEvalResult eval = SaeEvaluator.evaluate(model, sae, heldOut, 128, 12, 4);
			assertThat(eval.l0()).isLessThanOrEqualTo(32);
			assertThat(eval.explainedVariance()).isGreaterThanOrEqualTo(0.8);
			assertThat(eval.ceLossRecovered()).isGreaterThanOrEqualTo(0.85);
		}
	}
}
