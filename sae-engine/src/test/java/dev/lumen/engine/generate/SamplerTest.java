package dev.lumen.engine.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Set;
import org.junit.jupiter.api.Test;

class SamplerTest {

	/** ln of probabilities 0.6, 0.3, 0.1 */
	private static final float[] LOGITS = { (float) Math.log(0.6), (float) Math.log(0.3), (float) Math.log(0.1) };

	private static double[] frequencies(GenerationOptions options, int draws) {
		Sampler s = new Sampler(options);
		double[] f = new double[LOGITS.length];
		for (int i = 0; i < draws; i++) {
			f[s.sample(LOGITS)] += 1.0 / draws;
		}
		return f;
	}

	@Test
	void temperatureOneSamplesTheSoftmax() {
		double[] f = frequencies(GenerationOptions.sampling(1, 1f, 1f, 3), 40000);
		assertThat(f[0]).isCloseTo(0.6, within(0.015));
		assertThat(f[1]).isCloseTo(0.3, within(0.015));
		assertThat(f[2]).isCloseTo(0.1, within(0.015));
	}

	@Test
	void topPKeepsTheSmallestNucleusReachingP() {
		// 0.6 < 0.8 <= 0.9: tokens 0 and 1 remain, renormalised to 2/3 and 1/3
		double[] f = frequencies(GenerationOptions.sampling(1, 1f, 0.8f, 5), 30000);
		assertThat(f[2]).isZero();
		assertThat(f[0]).isCloseTo(2.0 / 3, within(0.015));
	}

	@Test
	void topKAndLowTemperatureNarrowTheChoice() {
		assertThat(frequencies(GenerationOptions.sampling(1, 1f, 1f, 5).withTopK(2), 5000)[2]).isZero();
		// temperature 0.1 sharpens 0.6 vs 0.3 to 2^10 : 1
		assertThat(frequencies(GenerationOptions.sampling(1, 0.1f, 1f, 5), 5000)[0]).isGreaterThan(0.99);
		assertThat(new Sampler(GenerationOptions.greedy(1)).sample(LOGITS)).isZero();
	}

	/** The straightforward algorithm: sort every token (boxed), top-k, softmax, nucleus prefix, draw. */
	private static int referenceSample(float[] logits, GenerationOptions o, java.util.Random random) {
		int n = logits.length;
		Integer[] order = new Integer[n];
		for (int i = 0; i < n; i++) {
			order[i] = i;
		}
		java.util.Arrays.sort(order, (a, b) -> logits[a] != logits[b] ? Float.compare(logits[b], logits[a]) : Integer.compare(a, b));
		int keep = o.topK() > 0 ? Math.min(o.topK(), n) : n;
		double max = logits[order[0]];
		double[] probs = new double[keep];
		double sum = 0;
		for (int i = 0; i < keep; i++) {
			probs[i] = Math.exp((logits[order[i]] - max) / o.temperature());
			sum += probs[i];
		}
		double mass = 0;
		int cut = keep;
		for (int i = 0; i < keep; i++) {
			mass += probs[i] / sum;
			if (mass >= o.topP()) {
				cut = i + 1;
				break;
			}
		}
		double total = 0;
		for (int i = 0; i < cut; i++) {
			total += probs[i];
		}
		double r = random.nextDouble() * total;
		for (int i = 0; i < cut; i++) {
			r -= probs[i];
			if (r <= 0) {
				return order[i];
			}
		}
		return order[cut - 1];
	}

	@Test
	void nucleusAndTopKDrawTheSameTokensAsSortingTheWholeVocabulary() {
		java.util.Random gen = new java.util.Random(1);
		for (GenerationOptions o : new GenerationOptions[] { GenerationOptions.sampling(1, 0.8f, 0.9f, 42),
				GenerationOptions.sampling(1, 1.3f, 0.5f, 7), GenerationOptions.sampling(1, 1f, 1f, 9).withTopK(40),
				GenerationOptions.sampling(1, 0.7f, 0.95f, 11).withTopK(200) }) {
			Sampler fast = new Sampler(o);
			java.util.Random reference = new java.util.Random(o.seed());
			for (int draw = 0; draw < 300; draw++) {
				float[] logits = new float[2048];
				for (int i = 0; i < logits.length; i++) {
					// coarse values, so equal logits (ties broken by id) occur
					logits[i] = Math.round((float) gen.nextGaussian() * 3f * 8f) / 8f;
				}
				assertThat(fast.sample(logits)).as("%s draw %d", o, draw).isEqualTo(referenceSample(logits, o, reference));
			}
		}
	}

	@Test
	void invalidOptionsAreRejected() {
		assertThatThrownBy(() -> new GenerationOptions(0, 1f, 1f, 0, 0, Set.of(), true))
			.hasMessageContaining("maxNewTokens");
		assertThatThrownBy(() -> GenerationOptions.sampling(5, -1f, 1f, 0)).hasMessageContaining("temperature");
		assertThatThrownBy(() -> GenerationOptions.sampling(5, 1f, 0f, 0)).hasMessageContaining("topP");
	}
}
