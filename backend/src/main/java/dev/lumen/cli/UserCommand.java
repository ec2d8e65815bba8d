package dev.lumen.cli;

import dev.lumen.account.AccountService;
import dev.lumen.account.AppUser;
import dev.lumen.account.Role;
import dev.lumen.audit.AuditLog;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Unmatched;

/**
 * {@code lumen user add NAME --admin|--role R}: creates an account in the configured database. The password is
 * read from the terminal (asked twice) or, when stdin is not a terminal, from its first line; never from the
 * command line, where other users and shell history would see it.
 */
@Command(name = "user", mixinStandardHelpOptions = true, description = "Manage user accounts.",
		subcommands = { UserCommand.Add.class, UserTokenCommand.class })
public class UserCommand implements Runnable {

	@Spec
	CommandSpec spec;

	@Override
	public void run() {
		this.spec.commandLine().usage(this.spec.commandLine().getOut());
	}

	@Command(name = "add", mixinStandardHelpOptions = true,
			description = "Create a user. The password is prompted for, or read from the first line of stdin.")
	public static class Add implements Callable<Integer> {

		@Spec
		CommandSpec spec;

		@Parameters(index = "0", paramLabel = "NAME", description = "user name (letters, digits, . _ @ -)")
		String name;

		@ArgGroup(exclusive = true, multiplicity = "0..1")
		RoleChoice roleChoice;

		static class RoleChoice {

			@Option(names = "--admin", description = "make the user an admin")
			boolean admin;

			@Option(names = "--role", paramLabel = "ROLE", description = "VIEWER, REVIEWER (default) or ADMIN")
			String role;
		}

		/** Spring Boot arguments such as --spring.datasource.url=..., passed through unchanged. */
		@Unmatched
		List<String> springArgs = new ArrayList<>();

		/** Where the password comes from when there is no terminal; tests replace it. */
		InputStream stdin = System.in;

		@Override
		public Integer call() throws IOException {
			Role role = this.roleChoice == null ? Role.REVIEWER
					: this.roleChoice.admin ? Role.ADMIN : Role.parse(this.roleChoice.role);
			for (String arg : this.springArgs) {
				if (!arg.startsWith("--spring.") && !arg.startsWith("--logging.")) {
					throw new IllegalArgumentException("Unknown option '" + arg.split("=", 2)[0]
							+ "'; the password is never given on the command line: type it when asked or pipe it to stdin");
				}
			}
			char[] password = readPassword();
			try (ConfigurableApplicationContext context = startContext()) {
				AppUser user = context.getBean(AccountService.class).create(AuditLog.SYSTEM, this.name, new String(password), role);
				this.spec.commandLine().getOut().println("Created " + user.getRole() + " '" + user.getUsername() + "'");
			}
			finally {
				Arrays.fill(password, '\0');
			}
			return 0;
		}

		private char[] readPassword() throws IOException {
			Console console = System.console();
			if (console != null && this.stdin == System.in) {
				char[] first = console.readPassword("Password for %s: ", this.name);
				char[] again = console.readPassword("Repeat the password: ");
				if (first == null || !Arrays.equals(first, again)) {
					throw new IllegalArgumentException("The passwords do not match");
				}
				return first;
			}
			BufferedReader reader = new BufferedReader(new InputStreamReader(this.stdin, StandardCharsets.UTF_8));
			String line = reader.readLine();
			if (line == null || line.isEmpty()) {
				throw new IllegalArgumentException("No password on stdin: pipe it in, e.g. 'lumen user add "
						+ this.name + " < password-file', or run in a terminal to be asked");
			}
			return line.toCharArray();
		}

		private ConfigurableApplicationContext startContext() {
			return SpringContexts.withoutWeb(this.springArgs.toArray(String[]::new));
		}
	}
}
