package dev.lumen.autointerp;

import static org.assertj.core.api.Assertions.assertThat;
import dev.lumen.testing.RandomSae;

import ai.djl.Device;
import dev.lumen.catalog.CatalogModelRepository;
import dev.lumen.engine.model.HookNames;
import dev.lumen.extraction.ExtractionService;
import dev.lumen.extraction.ExtractionSettings;
import dev.lumen.testing.DatabaseTest;
import dev.lumen.testing.RepoFiles;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** The offline path on what extraction really stores: the demo model, a small random SAE, heuristic + embedding. */
class AutointerpOnExtractionTest extends DatabaseTest {

	static final int D_SAE = 32;

	static final String HOOK = HookNames.residPost(1);

	@TempDir
	Path tmp;

	@Autowired
	ExtractionService extraction;

	@Autowired
	AutointerpService autointerp;

	@Autowired
	CatalogModelRepository models;

	@Autowired
	JdbcTemplate jdbc;

	final String modelName = "autointerp-extract-" + Long.toHexString(System.nanoTime());

	@AfterEach
	void tearDown() {
		this.models.findByName(this.modelName).ifPresent(this.models::delete);
	}

	@Test
	void everyFiringFeatureGetsADistinctHeuristicLabelMostlyNamingItsHeaviestTokenAndAnEmbeddingScore() throws Exception {
		Path saeDir = this.tmp.resolve("sae");
		writeRandomSae(saeDir, 128);
		ExtractionSettings settings = ExtractionSettings.defaults().withContext(32, 16).withMaxTokens(3000);
		this.extraction.extract(new ExtractionService.Request(RepoFiles.DEMO_MODEL, saeDir, RepoFiles.HELDOUT_CORPUS,
				this.modelName, "rand", settings, Device.cpu()), false, p -> {
				});
		AutointerpService.Outcome outcome = this.autointerp.run(new AutointerpService.Request(this.modelName, "rand",
				FeatureSelection.parse("all"), new HeuristicExplainer(), List.of(new EmbeddingScorer()), false, 2), p -> {
				});
		long saeId = this.jdbc.queryForObject("SELECT s.id FROM sae s JOIN model m ON m.id = s.model_id WHERE m.name = ?",
				Long.class, this.modelName);
		int firing = this.jdbc.queryForObject("SELECT count(*) FROM feature f WHERE sae_id = ? AND max_activation > 0 "
				+ "AND EXISTS (SELECT 1 FROM feature_example e WHERE e.sae_id = f.sae_id AND e.feature_index = f.feature_index "
				+ "AND e.kind = 'top')", Integer.class, saeId);
		assertThat(firing).isGreaterThan(5);
		assertThat(outcome.labelled()).isEqualTo(firing);
		assertThat(outcome.labelled() + outcome.noExamples()).isEqualTo(D_SAE);
		assertThat(outcome.failed()).isZero();

		// the heaviest token by activation mass, recomputed in SQL from the stored rows (BOS excluded)
		List<Map<String, Object>> heaviest = this.jdbc.queryForList("""
				SELECT DISTINCT ON (e.feature_index) e.feature_index, l.label, l.is_heuristic,
				       (l.scores->'embedding'->>'auroc')::float8 AS auroc, k.tok
				FROM feature_example e
				JOIN feature f USING (sae_id, feature_index)
				JOIN context c ON c.id = e.context_id
				CROSS JOIN LATERAL unnest(e.activations, c.token_ids) WITH ORDINALITY AS u(a, token_id, ord)
				JOIN model_token t ON t.model_id = c.model_id AND t.token_id = u.token_id
				CROSS JOIN LATERAL (SELECT CASE WHEN regexp_replace(t.text, '^\\s+|\\s+$', '', 'g') = ''
				       THEN CASE WHEN t.text LIKE E'%\\n%' THEN '⏎' ELSE '␣' END
				       ELSE lower(regexp_replace(t.text, '^\\s+|\\s+$', '', 'g')) END AS tok) k
				JOIN feature_label l ON l.sae_id = e.sae_id AND l.feature_index = e.feature_index
				WHERE e.sae_id = ? AND e.kind IN ('top', 'interval') AND u.ord > 1 AND u.a > 0
				GROUP BY e.feature_index, l.label, l.is_heuristic, l.scores, k.tok
				ORDER BY e.feature_index, sum(u.a / f.max_activation) DESC, k.tok
				""", saeId);
		assertThat(heaviest).hasSize(firing);
		// a token label quotes that token; a category, position or mixed label lists it among its three heaviest
		// (unless the heaviest token fits another category); a window-start artefact names it too
		int naming = 0;
		for (Map<String, Object> row : heaviest) {
			String label = ((String) row.get("label")).toLowerCase(java.util.Locale.ROOT);
			if (label.contains((String) row.get("tok"))) {
				naming++;
			}
			assertThat(row.get("is_heuristic")).isEqualTo(true);
			if (row.get("auroc") != null) {
				assertThat((Double) row.get("auroc")).isBetween(0.0, 1.0);
			}
		}
		assertThat(naming).as("labels naming the heaviest token").isGreaterThanOrEqualTo(heaviest.size() * 9 / 10);
		// no two features share a label (the offline batch qualifies collisions)
		assertThat(heaviest.stream().map(r -> r.get("label")).distinct().count()).isEqualTo(heaviest.size());
		assertThat(this.jdbc.queryForObject("SELECT status FROM job WHERE id = ?", String.class, outcome.jobId()))
			.isEqualTo("done");
	}

	/** A random SAE of this test's width (see {@link RandomSae}). */
	static void writeRandomSae(Path dir, int dIn) throws Exception {
		RandomSae.write(dir, dIn, D_SAE, 5, -0.5);
	}
}
