package dev.lumen.extraction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.catalog.CatalogModelRepository;
import dev.lumen.catalog.CatalogSaeRepository;
import dev.lumen.testing.DatabaseTest;
import java.util.List;
import java.util.Map;
import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.AfterEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Base for extraction tests against PostgreSQL: each test extracts into a model of its own (deleted afterwards, with
 * its SAEs and results) and can compare what two extractions of it stored.
 */
abstract class ExtractionDatabaseTest extends DatabaseTest {

	@Autowired
	ExtractionService service;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	CatalogModelRepository models;

	@Autowired
	CatalogSaeRepository saes;

	/** This test's model: a fresh name per test method. */
	final String modelName = getClass().getSimpleName().toLowerCase() + "-" + Long.toHexString(System.nanoTime());

	@AfterEach
	void deleteTheTestModel() {
		this.models.findByName(this.modelName).ifPresent(this.models::delete);
	}

	long saeId(String saeName) {
		return this.saes.findByModelNameAndName(this.modelName, saeName).orElseThrow().getId();
	}

	/**
	 * The two SAEs of this test's model stored the same results: every example (kind, interval, rank, window's
	 * document and position, tokens, per-token values), density and max activation, histogram, and co-occurrence row
	 * (partners, scores, approximate flag); means within {@code meanPercent} (0: equal; a different order of
	 * additions changes a double sum in its last bits).
	 */
	void assertSameStoredResults(String saeA, String saeB, double meanPercent) {
		long a = saeId(saeA);
		long b = saeId(saeB);
		String examples = "SELECT e.feature_index, e.kind, e.interval_index, e.rank, e.max_position, e.max_activation, "
				+ "e.activations::text, c.doc_index, c.start_pos, c.token_ids::text FROM feature_example e "
				+ "JOIN context c ON c.id = e.context_id WHERE e.sae_id = ? ORDER BY 1, 2, 3, 4";
		List<Map<String, Object>> expected = this.jdbc.queryForList(examples, b);
		int features = this.jdbc.queryForObject("SELECT count(*) FROM feature WHERE sae_id = ?", Integer.class, b);
		assertThat(expected).as("examples").hasSizeGreaterThan(features);
		assertThat(this.jdbc.queryForList(examples, a)).isEqualTo(expected);
		assertSameRows("SELECT feature_index, density, max_activation FROM feature WHERE sae_id = ? ORDER BY 1", a, b);
		assertSameRows("SELECT feature_index, bin_edges::text, counts::text FROM feature_histogram WHERE sae_id = ? "
				+ "ORDER BY 1", a, b);
		assertSameRows("SELECT feature_index, other_indices::text, scores::text, approximate FROM feature_cooccurrence "
				+ "WHERE sae_id = ? ORDER BY 1", a, b);
		String means = "SELECT mean_activation FROM feature WHERE sae_id = ? ORDER BY feature_index";
		List<Double> ma = this.jdbc.queryForList(means, Double.class, a);
		List<Double> mb = this.jdbc.queryForList(means, Double.class, b);
		assertThat(ma).hasSameSizeAs(mb);
		for (int i = 0; i < ma.size(); i++) {
			if (mb.get(i) == null) {
				assertThat(ma.get(i)).as("mean of feature %d", i).isNull();
			}
			else {
				assertThat(ma.get(i)).as("mean of feature %d", i).isCloseTo(mb.get(i), Percentage.withPercentage(meanPercent));
			}
		}
	}

	private void assertSameRows(String query, long a, long b) {
		List<Map<String, Object>> expected = this.jdbc.queryForList(query, b);
		assertThat(expected).as(query).isNotEmpty();
		assertThat(this.jdbc.queryForList(query, a)).as(query).isEqualTo(expected);
	}
}
