package dev.lumen.cli;

import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Prints a failed command's message as one line instead of a stack trace; set {@code LUMEN_DEBUG=1}
 * to see the trace.
 */
public class FriendlyErrors implements IExecutionExceptionHandler {

	@Override
	public int handleExecutionException(Exception ex, CommandLine commandLine, ParseResult parseResult) {
		String message = ex.getMessage() != null ? ex.getMessage() : ex.getClass().getSimpleName();
		commandLine.getErr().println(commandLine.getColorScheme().errorText("lumen " + commandLine.getCommandName()
				+ ": " + message));
		if (System.getenv("LUMEN_DEBUG") != null) {
			ex.printStackTrace(commandLine.getErr());
		}
		return 1;
	}
}
