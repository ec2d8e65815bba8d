package dev.lumen.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.LumenMain;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class LumenCommandLineTest {

	@Test
	void helpListsTheServeCommand() {
		StringWriter out = new StringWriter();
		CommandLine cli = LumenMain.commandLine();
		cli.setOut(new PrintWriter(out));
		assertThat(cli.execute("--help")).isZero();
		assertThat(out.toString()).contains("serve").contains("Start the web app");
	}

	@Test
	void lenientIsAcceptedBeforeOrAfterTheSubcommandAndMakesTheEngineLenient() {
		try {
			assertThat(dev.lumen.engine.load.Strictness.fromSystem()).isEqualTo(dev.lumen.engine.load.Strictness.STRICT);
			CommandLine cli = LumenMain.commandLine();
			cli.setOut(new PrintWriter(new StringWriter()));
			assertThat(cli.execute("pull-sae", "--lenient", "--help")).isZero();
			assertThat(dev.lumen.engine.load.Strictness.fromSystem()).isEqualTo(dev.lumen.engine.load.Strictness.LENIENT);
		}
		finally {
			System.clearProperty(dev.lumen.engine.load.Strictness.PROPERTY);
		}
	}

	@Test
	void unknownCommandIsAnErrorWithUsageNotAStackTrace() {
		StringWriter err = new StringWriter();
		CommandLine cli = LumenMain.commandLine();
		cli.setErr(new PrintWriter(err));
		assertThat(cli.execute("frobnicate")).isEqualTo(2);
		assertThat(err.toString()).contains("Unmatched argument").contains("frobnicate").doesNotContain("Exception");
	}

	@Test
	void failuresInsideACommandPrintOneLine() {
		StringWriter err = new StringWriter();
		CommandLine cli = new CommandLine(new Failing()).setExecutionExceptionHandler(new FriendlyErrors());
		cli.setErr(new PrintWriter(err));
		assertThat(cli.execute()).isEqualTo(1);
		assertThat(err.toString().strip()).isEqualTo("lumen failing: model file /x/y.bin is truncated");
	}

	@Test
	void generateStreamsTheGreedyContinuationThatRunCPrints() {
		java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
		java.io.PrintStream original = System.out;
		System.setOut(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
		int code;
		try {
			code = LumenMain.commandLine().execute("generate", "--model",
					dev.lumen.testing.RepoFiles.DEMO_MODEL.toString(), "--prompt", "Once upon a time",
					"--temperature", "0", "--max-tokens", "12", "--device", "cpu");
		}
		finally {
			System.setOut(original);
		}
		assertThat(code).isZero();
		// llama2.c's run.c at -t 0 on this model (demo/models/README.md)
		assertThat(captured.toString(java.nio.charset.StandardCharsets.UTF_8))
			.startsWith("Once upon a time, there was a little girl named Lily");
	}

	@Test
	void generateRefusesAnEmptyPromptInOneLine() {
		StringWriter err = new StringWriter();
		CommandLine cli = LumenMain.commandLine();
		cli.setErr(new PrintWriter(err));
		assertThat(cli.execute("generate", "--model", "x", "--prompt", " ")).isEqualTo(1);
		assertThat(err.toString().strip()).isEqualTo("lumen generate: --prompt is empty");
	}

	@CommandLine.Command(name = "failing")
	static class Failing implements Runnable {

		@Override
		public void run() {
			throw new IllegalArgumentException("model file /x/y.bin is truncated");
		}
	}
}
