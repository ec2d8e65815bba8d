package dev.lumen.display;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScoreLinesTest {

	@Test
	void anEmbeddingScoreReadsAsAurocWithItsMeaningAndSample() {
		List<ScoreLines.Line> lines = ScoreLines.of(Map.of("embedding",
				Map.of("auroc", 0.8041294642857143, "model", "all-minilm-l6-v2-q", "n_zero", 16, "n_active", 112)));
		assertThat(lines).hasSize(1);
		ScoreLines.Line l = lines.get(0);
		assertThat(l.figure()).isEqualTo("AUROC 0.80");
		assertThat(l.meaning()).contains("0.5 = chance");
		assertThat(l.sample()).isEqualTo("112 activating + 16 non-activating snippets");
		assertThat(l.warning()).isNull();
	}

	@Test
	void scoresAtOrBelowChanceCarryAWarning() {
		Map<String, Object> scores = new LinkedHashMap<>();
		scores.put("embedding", Map.of("auroc", 0.5, "n_active", 3, "n_zero", 3));
		scores.put("specificity", Map.of("mean_active", 1.5, "mean_zero", 2.0, "n_active", 20, "n_zero", 6,
				"rater", "rule:label-pattern"));
		scores.put("detection", Map.of("accuracy", 0.4, "n_active", 5, "n_zero", 5, "rater", "anthropic:m"));
		List<ScoreLines.Line> lines = ScoreLines.of(scores);
		assertThat(lines).allMatch(l -> l.warning() != null && l.warning().startsWith("at or below chance"));
		assertThat(lines.get(1).figure()).isEqualTo("1.5 of 3 vs 2.0 where it does not fire");
		assertThat(lines.get(1).meaning()).contains("rated by rule from the label's pattern (offline, no language model)");
		assertThat(lines.get(2).figure()).isEqualTo("40.0% accuracy");
	}

	@Test
	void aGoodSpecificityHasNoWarning() {
		ScoreLines.Line l = ScoreLines.of(Map.of("specificity", Map.of("mean_active", 2.7, "mean_zero", 0.3,
				"n_active", 20, "n_zero", 6, "rater", "anthropic:m"))).get(0);
		assertThat(l.warning()).isNull();
		assertThat(l.sample()).isEqualTo("20 activating + 6 non-activating contexts");
	}
}
