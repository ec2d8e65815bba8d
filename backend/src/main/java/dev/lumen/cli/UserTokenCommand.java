package dev.lumen.cli;

import dev.lumen.account.ApiTokenScope;
import dev.lumen.account.ApiTokens;
import dev.lumen.audit.AuditLog;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.Callable;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Unmatched;

/**
 * {@code lumen user token create USER NAME [--scope steer,review]} prints a new personal API token once (to stdout
 * alone, so {@code $(lumen user token create ...)} captures it); {@code lumen user token revoke USER ID} revokes one.
 * Both are audited with the actor {@code system}.
 */
@Command(name = "token", mixinStandardHelpOptions = true, description = "Create or revoke a user's personal API tokens.",
		subcommands = { UserTokenCommand.Create.class, UserTokenCommand.Revoke.class })
public class UserTokenCommand implements Runnable {

	@Spec
	CommandSpec spec;

	@Override
	public void run() {
		this.spec.commandLine().usage(this.spec.commandLine().getOut());
	}

	@Command(name = "create", mixinStandardHelpOptions = true,
			description = "Create a token for USER and print it (it is not shown again).")
	public static class Create implements Callable<Integer> {

		@Spec
		CommandSpec spec;

		@Parameters(index = "0", paramLabel = "USER", description = "whose token it is")
		String user;

		@Parameters(index = "1", paramLabel = "NAME", description = "what the token is for, e.g. 'nightly export'")
		String name;

		@Option(names = "--scope", split = ",", paramLabel = "SCOPE",
				description = "steer and/or review, besides read (which every token has)")
		List<String> scopes = new ArrayList<>();

		@Unmatched
		List<String> springArgs = new ArrayList<>();

		@Override
		public Integer call() {
			EnumSet<ApiTokenScope> scopes = EnumSet.of(ApiTokenScope.READ);
			this.scopes.forEach(scope -> scopes.add(ApiTokenScope.parse(scope)));
			try (ConfigurableApplicationContext context = startContext(this.springArgs)) {
				ApiTokens.Created created = context.getBean(ApiTokens.class).create(AuditLog.SYSTEM, this.user, this.name, scopes);
				this.spec.commandLine().getErr().println("Created token #" + created.view().id() + " for '" + this.user
						+ "' (" + String.join(", ", created.view().scopes()) + "); it is not shown again:");
				this.spec.commandLine().getOut().println(created.token());
			}
			return 0;
		}
	}

	@Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke token ID of USER.")
	public static class Revoke implements Callable<Integer> {

		@Spec
		CommandSpec spec;

		@Parameters(index = "0", paramLabel = "USER", description = "whose token it is")
		String user;

		@Parameters(index = "1", paramLabel = "ID", description = "the token's number (#) from /account/tokens")
		long id;

		@Unmatched
		List<String> springArgs = new ArrayList<>();

		@Override
		public Integer call() {
			try (ConfigurableApplicationContext context = startContext(this.springArgs)) {
				if (!context.getBean(ApiTokens.class).revoke(AuditLog.SYSTEM, this.user, this.id)) {
					throw new IllegalArgumentException("'" + this.user + "' has no unrevoked token #" + this.id);
				}
			}
			this.spec.commandLine().getOut().println("Revoked token #" + this.id + " of '" + this.user + "'");
			return 0;
		}
	}

	/** Spring Boot arguments (--spring.datasource.url=...) pass through; anything else is a typo, said so. */
	static ConfigurableApplicationContext startContext(List<String> springArgs) {
		for (String arg : springArgs) {
			if (!arg.startsWith("--spring.") && !arg.startsWith("--logging.")) {
				throw new IllegalArgumentException("Unknown option or argument '" + arg.split("=", 2)[0] + "'");
			}
		}
		return SpringContexts.withoutWeb(springArgs.toArray(String[]::new));
	}
}
