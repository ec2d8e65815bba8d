package dev.lumen.autointerp;

import static dev.lumen.autointerp.Windows.feature;
import static dev.lumen.autointerp.Windows.windows;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DistinctLabelsTest {

	// two "." features: one ends sentences about the park, the other sentences about the dog
	final Map<Integer, FeatureExamples> features = Map.of(
			1, feature(2, windows("top", "went to the park .*2", "played at the park .*2", "the park was fun .*1"),
					windows("zero", "the cat sat")),
			2, feature(2, windows("top", "the dog ran .*2", "a dog barked .*2", "my dog slept .*1"),
					windows("zero", "the cat sat")),
			3, feature(2, windows("top", "the cat*2 sat"), windows("zero", "a hat")));

	Explanation label(String text) {
		return new Explanation(text, "summary.", "heuristic", true);
	}

	@Test
	void featuresThatWouldShareALabelAreEachToldHowTheyDiffer() {
		Map<Integer, Explanation> out = DistinctLabels.resolve(Map.of(1, label("\".\""), 2, label("\".\""), 3, label("\"cat\"")),
				Set.of(), this.features::get);
		assertThat(out.get(1).label()).isEqualTo("\".\" (mostly after \"park\")");
		assertThat(out.get(2).label()).isEqualTo("\".\" (near dog)");
		assertThat(out.get(1).description()).contains("1 other feature(s) of this SAE would share the label \".\"");
		assertThat(out.get(3).label()).isEqualTo("\"cat\"");
	}

	@Test
	void aLabelAnotherFeatureAlreadyShowsIsQualifiedToo() {
		Map<Integer, Explanation> out = DistinctLabels.resolve(Map.of(3, label("\"cat\"")), Set.of("\"cat\""),
				this.features::get);
		assertThat(out.get(3).label()).isEqualTo("\"cat\" (strongest in \"the cat\")");
	}
}
