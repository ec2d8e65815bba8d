package dev.lumen.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.LumenMain;
import dev.lumen.testing.TestDatabase;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import picocli.CommandLine;

/** {@code lumen user add}: the password comes from stdin, never from the command line. */
class UserCommandTest {

	private static final String PASSWORD = "piped in password";

	@Test
	void addCreatesAnAdminWithTheBcryptHashOfThePasswordReadFromStdin() {
		String name = "cli-" + UUID.randomUUID().toString().substring(0, 8);
		StringWriter out = new StringWriter();
		StringWriter err = new StringWriter();
		int exit = run(name, out, err, PASSWORD + "\n", "--admin");

		assertThat(exit).as(err.toString()).isZero();
		assertThat(out.toString()).contains("Created ADMIN '" + name + "'").doesNotContain(PASSWORD);
		String hash = jdbc().queryForObject("SELECT password_hash FROM app_user WHERE username = ?", String.class, name);
		assertThat(PasswordEncoderFactories.createDelegatingPasswordEncoder().matches(PASSWORD, hash)).isTrue();
		assertThat(jdbc().queryForObject("SELECT role FROM app_user WHERE username = ?", String.class, name)).isEqualTo("ADMIN");
		assertThat(jdbc().queryForObject("SELECT actor || ' ' || action FROM audit_event WHERE entity_type = 'user' "
				+ "AND after ->> 'username' = ?", String.class, name)).isEqualTo("system user.create");
		jdbc().update("DELETE FROM app_user WHERE username = ?", name);
	}

	@Test
	void aPasswordOptionOnTheCommandLineIsRefusedWithTheReason() {
		StringWriter err = new StringWriter();
		int exit = run("cli-" + UUID.randomUUID().toString().substring(0, 8), new StringWriter(), err, "",
				"--role", "VIEWER", "--password=hunter2hunter2");
		assertThat(exit).isEqualTo(1);
		assertThat(err.toString().strip()).isEqualTo("lumen add: Unknown option '--password'; the password is never given on the "
				+ "command line: type it when asked or pipe it to stdin");
	}

	@Test
	void unknownRoleListsTheValidOnes() {
		StringWriter err = new StringWriter();
		assertThat(run("someone", new StringWriter(), err, PASSWORD + "\n", "--role", "BOSS")).isEqualTo(1);
		assertThat(err.toString()).contains("Unknown role 'BOSS'; valid: VIEWER, REVIEWER, ADMIN");
	}

	private static int run(String name, StringWriter out, StringWriter err, String stdin, String... options) {
		TestDatabase.Target db = TestDatabase.target();
		CommandLine cli = LumenMain.commandLine();
		cli.setOut(new PrintWriter(out, true));
		cli.setErr(new PrintWriter(err, true));
		CommandLine add = cli.getSubcommands().get("user").getSubcommands().get("add");
		((UserCommand.Add) add.getCommand()).stdin = new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8));
		add.setOut(new PrintWriter(out, true));
		add.setErr(new PrintWriter(err, true));
		java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("user", "add", name));
		args.addAll(java.util.List.of(options));
		args.addAll(db.springArguments());
		return cli.execute(args.toArray(String[]::new));
	}

	private static JdbcTemplate jdbc() {
		TestDatabase.Target db = TestDatabase.target();
		return new JdbcTemplate(new DriverManagerDataSource(db.url(), db.username(), db.password()));
	}
}
