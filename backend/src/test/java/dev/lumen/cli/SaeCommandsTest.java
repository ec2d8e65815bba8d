package dev.lumen.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lumen.LumenMain;
import dev.lumen.testing.RepoFiles;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** train-sae then eval-sae through the command line, on a small budget. */
class SaeCommandsTest {

	@TempDir
	Path tmp;

	@Test
	void trainSaeWritesASaeLensDirectoryThatEvalSaeScores() throws Exception {
		Path out = this.tmp.resolve("sae");
		String trained = run("train-sae", "--model", RepoFiles.DEMO_MODEL.toString(), "--corpus",
				RepoFiles.HELDOUT_CORPUS.toString(), "--architecture", "topk", "--k", "8", "--d-sae", "64", "--tokens",
				"16384", "--batch", "1024", "--context", "64", "--out", out.toString(), "--device", "cpu");
		assertThat(trained).contains("SAE written to " + out);
		assertThat(out.resolve("cfg.json")).exists();
		assertThat(out.resolve("sae_weights.safetensors")).exists();
		JsonNode cfg = new ObjectMapper().readTree(out.resolve("cfg.json").toFile());
		assertThat(cfg.toString()).contains("blocks.1.hook_resid_post").contains("\"d_sae\":64");

		String evaluated = run("eval-sae", "--model", RepoFiles.DEMO_MODEL.toString(), "--sae", out.toString(), "--corpus",
				RepoFiles.HELDOUT_CORPUS.toString(), "--context", "64", "--contexts", "8", "--device", "cpu");
		assertThat(evaluated).contains("\"explained_variance\"").contains("written to " + out.resolve("eval.json"));
		JsonNode eval = new ObjectMapper().readTree(Files.readString(out.resolve("eval.json")));
		// TopK with k = 8: exactly 8 active features per token
		assertThat(eval.get("l0").asDouble()).isEqualTo(8.0);
		assertThat(eval.get("explained_variance").asDouble()).isBetween(0.0, 1.0);
		assertThat(eval.get("ce_loss_clean").asDouble()).isLessThan(eval.get("ce_loss_zero_ablation").asDouble());
	}

	@Test
	void aMissingCorpusIsOneLineNotAStackTrace() {
		StringWriter err = new StringWriter();
		CommandLine cli = LumenMain.commandLine();
		cli.setErr(new PrintWriter(err));
		int code = cli.execute("train-sae", "--model", RepoFiles.DEMO_MODEL.toString(), "--corpus",
				this.tmp.resolve("nope.txt").toString(), "--out", this.tmp.resolve("x").toString());
		assertThat(code).isEqualTo(1);
		assertThat(err.toString().strip()).startsWith("lumen train-sae: ").contains("nope.txt").doesNotContain("\tat ");
	}

	private static String run(String... args) {
		ByteArrayOutputStream captured = new ByteArrayOutputStream();
		PrintStream original = System.out;
		System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
		try {
			assertThat(LumenMain.commandLine().execute(args)).as("exit code of %s", args[0]).isZero();
		}
		finally {
			System.setOut(original);
		}
		return captured.toString(StandardCharsets.UTF_8);
	}
}
