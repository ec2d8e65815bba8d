package dev.lumen.engine.sae.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.lumen.engine.sae.SaeArchitecture;
import org.junit.jupiter.api.Test;

class TrainSaeOptionsTest {

	/** 100 steps of 10 tokens. */
	private static final TrainSaeOptions OPTIONS = TrainSaeOptions.defaults(64, 1L << 20).withBudget(10, 1000, 1);

	@Test
	void lambdaWarmsUpLinearlyOverTheFirstFivePercentOfSteps() {
		assertThat(OPTIONS.totalSteps()).isEqualTo(100);
		assertThat(OPTIONS.l1At(0)).isCloseTo(5.0 * 1 / 5, within(1e-12));
		assertThat(OPTIONS.l1At(2)).isCloseTo(5.0 * 3 / 5, within(1e-12));
		assertThat(OPTIONS.l1At(4)).isCloseTo(5.0, within(1e-12));
		assertThat(OPTIONS.l1At(50)).isCloseTo(5.0, within(1e-12));
	}

	@Test
	void learningRateDecaysLinearlyToZeroOverTheLastTwentyPercent() {
		double lr = OPTIONS.learningRate();
		assertThat(OPTIONS.learningRateAt(0)).isEqualTo(lr);
		assertThat(OPTIONS.learningRateAt(79)).isEqualTo(lr);
		assertThat(OPTIONS.learningRateAt(80)).isCloseTo(lr, within(1e-12));
		assertThat(OPTIONS.learningRateAt(90)).isCloseTo(lr / 2, within(1e-12));
		assertThat(OPTIONS.learningRateAt(99)).isCloseTo(lr / 20, within(1e-12));
	}

	@Test
	void invalidOptionsNameTheOption() {
		assertThatThrownBy(() -> OPTIONS.withArchitecture(SaeArchitecture.TOPK, 0)).hasMessageContaining("k=0");
		assertThatThrownBy(() -> OPTIONS.withArchitecture(SaeArchitecture.JUMPRELU, 0))
			.hasMessageContaining("standard and topk");
		assertThatThrownBy(() -> OPTIONS.withBudget(10, 5, 1)).hasMessageContaining("at least one batch");
		assertThatThrownBy(() -> OPTIONS.withCheckpoints(5, null)).hasMessageContaining("checkpoint directory");
	}
}
