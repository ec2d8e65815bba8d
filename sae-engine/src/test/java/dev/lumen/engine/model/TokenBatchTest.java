package dev.lumen.engine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class TokenBatchTest {

	@Test
	void leftPadsToTheLongestSequenceWithAMatchingMask() {
		TokenBatch b = TokenBatch.leftPad(List.of(new int[] { 1, 5, 6 }, new int[] { 1, 9 }), 0);
		assertThat(b.tokens()).isDeepEqualTo(new int[][] { { 1, 5, 6 }, { 0, 1, 9 } });
		assertThat(b.mask()).isDeepEqualTo(new int[][] { { 1, 1, 1 }, { 0, 1, 1 } });
		assertThatThrownBy(() -> TokenBatch.leftPad(List.of(new int[0]), 0)).hasMessageContaining("sequence 0 is empty");
	}
}
