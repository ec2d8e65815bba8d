package dev.lumen.extraction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import dev.lumen.catalog.CatalogModelRepository;
import dev.lumen.catalog.CatalogSaeRepository;
import dev.lumen.testing.DatabaseTest;
import dev.lumen.testing.RepoFiles;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * {@code lumen extract --spark local[2]} against a single-process {@code lumen extract} of the demo SAE over a
 * slice of the demo corpus: the Spark job runs as the child process the CLI starts, and the stored results are
 * compared row by row.
 */
class SparkExtractionTest extends DatabaseTest {

	static final Path SAE = RepoFiles.root().resolve("demo/sae/tinystories-1m-blocks.1.hook_resid_post-1024");

	static final Path CORPUS = RepoFiles.root().resolve("demo/corpus/tinystories.txt");

	static final long TOKENS = 6000;

	@Autowired
	ExtractionService service;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	CatalogModelRepository models;

	@Autowired
	CatalogSaeRepository saes;

	String modelName;

	@BeforeEach
	void setUp() {
		this.modelName = "spark-test-" + Long.toHexString(System.nanoTime());
	}

	@AfterEach
	void tearDown() {
		List.of("lumen.spark.test-fail-shard-once", "lumen.spark.test-halt-after-rounds", "lumen.spark.round-shards")
			.forEach(System::clearProperty);
		this.models.findByName(this.modelName).ifPresent(this.models::delete);
	}

	ExtractionService.Request request(String saeName, boolean spark) {
		ExtractionSettings settings = ExtractionSettings.defaults().withContext(64, 32).withMaxTokens(TOKENS);
		return new ExtractionService.Request(RepoFiles.DEMO_MODEL, SAE, CORPUS, this.modelName, saeName, settings,
				Device.cpu(), spark ? new SparkOptions("local[2]", List.of(), 1, "cpu", false) : null);
	}

	@Test
	void sparkOnTwoSlotsStoresWhatOneProcessStoresEvenWhenATaskFailsOnce() {
		this.service.extract(request("single", false), false, p -> {
		});
		System.setProperty("lumen.spark.test-fail-shard-once", "1");
		ExtractionService.Outcome spark = this.service.extract(request("spark", true), false, p -> {
		});
		assertThat(this.jdbc.queryForObject("SELECT status FROM job WHERE id = ?", String.class, spark.jobId()))
			.isEqualTo("done");
		assertSameResults("spark", "single");
	}

	@Test
	void aSparkJobKilledAfterACheckpointResumesInTheSameJobAndStoresWhatOneProcessStores() {
		this.service.extract(request("single", false), false, p -> {
		});
		System.setProperty("lumen.spark.round-shards", "1");
		System.setProperty("lumen.spark.test-halt-after-rounds", "1");
		assertThatThrownBy(() -> this.service.extract(request("spark", true), false, p -> {
		})).hasMessageContaining("exit status 137");
		long jobId = this.jdbc.queryForObject("SELECT max(id) FROM job WHERE sae_id = ?", Long.class, saeId("spark"));
		assertThat(this.jdbc.queryForObject("SELECT checkpoint->>'spark_dir' FROM job WHERE id = ?", String.class, jobId))
			.isNotNull();
		System.clearProperty("lumen.spark.test-halt-after-rounds");
		int[] firstWindow = { -1 };
		ExtractionService.Outcome resumed = this.service.extract(request("spark", true), false, p -> {
			if (firstWindow[0] < 0) {
				firstWindow[0] = p.resumedFromWindow();
			}
		});
		assertThat(resumed.jobId()).isEqualTo(jobId);
		assertThat(resumed.resumed()).isTrue();
		assertThat(firstWindow[0]).as("the resumed job starts after the checkpointed shards").isPositive();
		assertSameResults("spark", "single");
	}

	/**
	 * Every stored example (top, interval, zero: window, positions, values), histogram, density and max is equal;
	 * co-occurrences are equal wherever the single process counted them exactly (its Misra-Gries summary beyond the
	 * partner cap depends on the order partials merge in, and both runs flag those rows approximate).
	 */
	private void assertSameResults(String spark, String single) {
		long a = saeId(spark);
		long b = saeId(single);
		String examples = "SELECT e.feature_index, e.kind, e.interval_index, e.rank, e.max_position, e.max_activation, "
				+ "e.activations::text, c.doc_index, c.start_pos, c.token_ids::text FROM feature_example e "
				+ "JOIN context c ON c.id = e.context_id WHERE e.sae_id = ? ORDER BY 1, 2, 3, 4";
		List<Map<String, Object>> singleExamples = this.jdbc.queryForList(examples, b);
		assertThat(singleExamples).hasSizeGreaterThan(1024);
		assertThat(this.jdbc.queryForList(examples, a)).isEqualTo(singleExamples);
		String stats = "SELECT feature_index, density, max_activation FROM feature WHERE sae_id = ? ORDER BY 1";
		assertThat(this.jdbc.queryForList(stats, a)).isEqualTo(this.jdbc.queryForList(stats, b));
		String means = "SELECT feature_index, mean_activation FROM feature WHERE sae_id = ? ORDER BY 1";
		List<Map<String, Object>> ma = this.jdbc.queryForList(means, a);
		List<Map<String, Object>> mb = this.jdbc.queryForList(means, b);
		for (int i = 0; i < ma.size(); i++) {
			Number x = (Number) ma.get(i).get("mean_activation");
			Number y = (Number) mb.get(i).get("mean_activation");
			if (y == null) {
				assertThat(x).isNull();
			}
			else {
				assertThat(x.doubleValue()).isCloseTo(y.doubleValue(), org.assertj.core.data.Percentage.withPercentage(1e-4));
			}
		}
		String histograms = "SELECT h.* FROM feature_histogram h WHERE h.sae_id = ? ORDER BY feature_index";
		List<Map<String, Object>> ha = this.jdbc.queryForList(histograms.replace("h.*", "feature_index, bin_edges::text, counts::text"), a);
		assertThat(ha).isNotEmpty()
			.isEqualTo(this.jdbc.queryForList(histograms.replace("h.*", "feature_index, bin_edges::text, counts::text"), b));
		String exact = "SELECT feature_index, other_indices::text, scores::text FROM feature_cooccurrence WHERE sae_id = ? "
				+ "AND NOT approximate ORDER BY 1";
		String flags = "SELECT feature_index, approximate FROM feature_cooccurrence WHERE sae_id = ? ORDER BY 1";
		assertThat(this.jdbc.queryForList(flags, a)).isEqualTo(this.jdbc.queryForList(flags, b));
		assertThat(this.jdbc.queryForList(exact, a)).isEqualTo(this.jdbc.queryForList(exact, b));
	}

	private long saeId(String name) {
		return this.saes.findByModelNameAndName(this.modelName, name).orElseThrow().getId();
	}
}
