package dev.lumen;

import dev.lumen.cli.AutointerpCommand;
import dev.lumen.cli.EmbedLabelsCommand;
import dev.lumen.cli.EvalSaeCommand;
import dev.lumen.cli.ExportCommand;
import dev.lumen.cli.ExtractCommand;
import dev.lumen.cli.FriendlyErrors;
import dev.lumen.cli.GenerateCommand;
import dev.lumen.cli.ImportCommand;
import dev.lumen.cli.MapCommand;
import dev.lumen.cli.PullCommand;
import dev.lumen.cli.PullSaeCommand;
import dev.lumen.cli.ServeCommand;
import dev.lumen.cli.TrainSaeCommand;
import dev.lumen.cli.UserCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code lumen} command line: one jar for the web app and the offline tools. */
@Command(name = "lumen", mixinStandardHelpOptions = true, version = "lumen 0.1.0",
		description = "Browse, train and steer sparse-autoencoder features of language models.",
		subcommands = { ServeCommand.class, GenerateCommand.class, PullCommand.class, TrainSaeCommand.class,
				EvalSaeCommand.class, PullSaeCommand.class, ExtractCommand.class, AutointerpCommand.class, EmbedLabelsCommand.class,
				MapCommand.class, ImportCommand.class, ExportCommand.class,
				UserCommand.class, CommandLine.HelpCommand.class })
public class LumenMain implements Runnable {

	@CommandLine.Spec
	CommandLine.Model.CommandSpec spec;

	/** Every command that loads a model or an SAE honours it: the engine's loaders read this system property. */
	@CommandLine.Option(names = "--lenient", scope = CommandLine.ScopeType.INHERIT,
			description = "Load config keys Lumen does not understand and tensors it does not use, with a warning "
					+ "each, instead of refusing the files (for people who know the files better than Lumen).")
	void setLenient(boolean lenient) {
		if (lenient) {
			System.setProperty(dev.lumen.engine.load.Strictness.PROPERTY, "true");
		}
	}

	public static void main(String[] args) {
		System.exit(commandLine().execute(args));
	}

	/** @return the configured command line, also used by tests */
	public static CommandLine commandLine() {
		return new CommandLine(new LumenMain()).setExecutionExceptionHandler(new FriendlyErrors());
	}

	@Override
	public void run() {
		this.spec.commandLine().usage(System.out);
	}
}
