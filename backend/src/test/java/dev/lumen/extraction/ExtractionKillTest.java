package dev.lumen.extraction;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import dev.lumen.LumenMain;
import dev.lumen.testing.TestDatabase;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kill -9} in the middle of {@code lumen extract}: the rerun resumes and stores what a clean run stores. */
class ExtractionKillTest extends ExtractionDatabaseTest {

	@TempDir
	Path tmp;


	@Test
	void aKilledExtractionResumesFromItsLastCheckpointAndEqualsAnUninterruptedRun() throws Exception {
		Path sae = this.tmp.resolve("sae");
		ExtractionIntegrationTest.writeRandomSae(sae, 128);
		long tokens = 12000; // about 380 windows: the child is killed within ~100 ms of its first checkpoint (window 32)

		Process child = startExtraction(sae, "killed", tokens);
		long saeJobs = 0;
		try {
			long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
			while (saeJobs == 0 && System.nanoTime() < deadline && child.isAlive()) {
				saeJobs = this.jdbc.queryForObject("SELECT count(*) FROM job j JOIN sae s ON s.id = j.sae_id JOIN model m "
						+ "ON m.id = s.model_id WHERE m.name = ? AND s.name = 'killed' AND j.checkpoint IS NOT NULL",
						Long.class, this.modelName);
				Thread.sleep(50);
			}
		}
		finally {
			child.destroyForcibly(); // SIGKILL: no shutdown hooks, no cleanup
			child.waitFor(30, TimeUnit.SECONDS);
		}
		assertThat(saeJobs).as("the child committed a checkpoint before it was killed").isEqualTo(1);
		String status = this.jdbc.queryForObject("SELECT j.status FROM job j JOIN sae s ON s.id = j.sae_id "
				+ "JOIN model m ON m.id = s.model_id WHERE m.name = ? AND s.name = 'killed'", String.class, this.modelName);
		assertThat(status).as("killed mid-run, so never marked done").isEqualTo("running");

		ExtractionService.Outcome resumed = this.service.extract(request(sae, "killed", tokens), false, p -> {
		});
		assertThat(resumed.resumed()).isTrue();
		this.service.extract(request(sae, "clean", tokens), false, p -> {
		});

		assertSameStoredResults("killed", "clean", 0);
	}

	private ExtractionService.Request request(Path sae, String name, long tokens) {
		return new ExtractionService.Request(ExtractionIntegrationTest.MODEL, sae, ExtractionIntegrationTest.CORPUS,
				this.modelName, name, ExtractionSettings.defaults().withContext(32, 16).withMaxTokens(tokens)
					.withCheckpointWindows(32), Device.cpu());
	}

	/** The real CLI in another JVM, on the test classpath and the test database. */
	private Process startExtraction(Path sae, String name, long tokens) throws Exception {
		TestDatabase.Target db = TestDatabase.target();
		List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"), LumenMain.class.getName(), "extract",
				"--model", ExtractionIntegrationTest.MODEL.toString(), "--sae", sae.toString(), "--corpus",
				ExtractionIntegrationTest.CORPUS.toString(), "--model-name", this.modelName, "--sae-name", name,
				"--tokens", Long.toString(tokens), "--context", "32", "--batch", "16", "--checkpoint-every", "32",
				"--device", "cpu"));
		cmd.addAll(db.springArguments());
		return new ProcessBuilder(cmd).redirectErrorStream(true)
			.redirectOutput(this.tmp.resolve("child.log").toFile())
			.start();
	}
}
