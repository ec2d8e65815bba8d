package dev.lumen.autointerp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class FeatureSelectionTest {

	@Test
	void rangesListsAndAllResolveToSortedDistinctIndices() {
		assertThat(FeatureSelection.parse("3-5,1, 4").resolve(10)).containsExactly(1, 3, 4, 5);
		assertThat(FeatureSelection.parse("all").resolve(3)).containsExactly(0, 1, 2);
		assertThat(FeatureSelection.parse("7").resolve(8)).isEqualTo(List.of(7));
	}

	@Test
	void badSelectionsNameThePartAtFault() {
		assertThatThrownBy(() -> FeatureSelection.parse("0-x")).hasMessageContaining("'0-x' is not a feature index");
		assertThatThrownBy(() -> FeatureSelection.parse("9-2")).hasMessageContaining("'9-2' must be FROM-TO");
		assertThatThrownBy(() -> FeatureSelection.parse("0-99").resolve(48))
			.hasMessage("feature 48 does not exist: the SAE has 48 features");
	}
}
