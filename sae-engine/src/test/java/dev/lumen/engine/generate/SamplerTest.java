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

	@Test
	void invalidOptionsAreRejected() {
		assertThatThrownBy(() -> new GenerationOptions(0, 1f, 1f, 0, 0, Set.of(), true))
			.hasMessageContaining("maxNewTokens");
		assertThatThrownBy(() -> GenerationOptions.sampling(5, -1f, 1f, 0)).hasMessageContaining("temperature");
		assertThatThrownBy(() -> GenerationOptions.sampling(5, 1f, 0f, 0)).hasMessageContaining("topP");
	}
}
