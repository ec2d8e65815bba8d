package dev.lumen.map;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterLabelsTest {

	@Test
	void aClusterIsLabelledByTheWordsItsFeaturesShareThatOtherClustersLack() {
		int[] assignment = { 0, 0, 0, 1, 1, 1, 2 };
		String[] labels = { "French cooking verbs", "cooking and recipes", "French words for food", "numbers in dates",
				"dates and years", "numbers of the years", null };
		List<String> out = ClusterLabels.of(assignment, 3, labels);
		assertThat(out.get(0)).startsWith("cooking · french");
		assertThat(out.get(1)).contains("dates").contains("numbers").contains("years");
		// "and", "of", "the", "for", "in" are not label words; a cluster without labels gets none
		assertThat(String.join(" ", out)).doesNotContain("and").doesNotContain(" the");
		assertThat(out.get(2)).isEmpty();
	}
}
