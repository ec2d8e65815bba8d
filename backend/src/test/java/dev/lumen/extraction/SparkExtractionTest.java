package dev.lumen.extraction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import dev.lumen.testing.RepoFiles;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code lumen extract --spark local[2]} against a single-process {@code lumen extract} of the demo SAE over a
 * slice of the demo corpus: the Spark job runs as the child process the CLI starts, and the stored results are
 * compared row by row: every example, statistic, histogram and co-occurrence row, including the rows of features
 * past the partner cap, which both paths refuse alike.
 */
class SparkExtractionTest extends ExtractionDatabaseTest {

	static final Path SAE = RepoFiles.root().resolve("demo/sae/tinystories-1m-blocks.1.hook_resid_post-1024");

	static final Path CORPUS = RepoFiles.root().resolve("demo/corpus/tinystories.txt");

	static final long TOKENS = 6000;

	/** Blocks of 300 of the SAE's 1,024 features: the Spark job merges and this process loads four blocks. */
	static final int BLOCK_FEATURES = 300;

	@AfterEach
	void clearTestHooks() {
		List.of("lumen.spark.test-fail-shard-once", "lumen.spark.test-halt-after-rounds", "lumen.spark.round-shards")
			.forEach(System::clearProperty);
	}

	ExtractionService.Request request(String saeName, boolean spark) {
		ExtractionSettings settings = ExtractionSettings.defaults().withContext(64, 32).withMaxTokens(TOKENS);
		return new ExtractionService.Request(RepoFiles.DEMO_MODEL, SAE, CORPUS, this.modelName, saeName, settings,
				Device.cpu(), spark ? new SparkOptions("local[2]", List.of(), 1, "cpu", false, BLOCK_FEATURES) : null);
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
		assertSameStoredResults("spark", "single", 1e-4);
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
		assertSameStoredResults("spark", "single", 1e-4);
	}
}
