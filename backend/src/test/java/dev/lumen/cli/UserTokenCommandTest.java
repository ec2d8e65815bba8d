package dev.lumen.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.LumenMain;
import dev.lumen.testing.TestDatabase;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import picocli.CommandLine;

/** {@code lumen user token create|revoke}: the token goes to stdout once, its SHA-256 to the database. */
class UserTokenCommandTest {

	@Test
	void createPrintsATokenWhoseHashIsStoredAndRevokeEndsIt() throws Exception {
		String user = "cli-" + UUID.randomUUID().toString().substring(0, 8);
		jdbc().update("INSERT INTO app_user (username, password_hash, role) VALUES (?, '{noop}x', 'REVIEWER')", user);
		try {
			StringWriter out = new StringWriter();
			StringWriter err = new StringWriter();
			assertThat(run(out, err, "create", user, "ci job", "--scope", "steer")).as(err.toString()).isZero();
			String token = out.toString().strip();
			assertThat(token).startsWith("lumen_");
			assertThat(err.toString()).contains("(read, steer)").doesNotContain(token);
			long id = jdbc().queryForObject("SELECT id FROM api_token WHERE token_hash = ?", Long.class,
					MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
			assertThat(jdbc().queryForObject("SELECT actor FROM audit_event WHERE action = 'token.create' AND entity_id = ?",
					String.class, "" + id)).isEqualTo("system");

			assertThat(run(new StringWriter(), err, "revoke", user, "" + id)).as(err.toString()).isZero();
			assertThat(jdbc().queryForObject("SELECT revoked_at IS NOT NULL FROM api_token WHERE id = ?", Boolean.class, id)).isTrue();
			StringWriter again = new StringWriter();
			assertThat(run(new StringWriter(), again, "revoke", user, "" + id)).isEqualTo(1);
			assertThat(again.toString()).contains("has no unrevoked token #" + id);
		}
		finally {
			jdbc().update("DELETE FROM app_user WHERE username = ?", user);
		}
	}

	@Test
	void anUnknownScopeIsRefusedWithTheValidOnes() {
		StringWriter err = new StringWriter();
		assertThat(run(new StringWriter(), err, "create", "nobody", "x", "--scope", "admin")).isEqualTo(1);
		assertThat(err.toString()).contains("Unknown token scope 'admin': use read, steer or review");
	}

	private static int run(StringWriter out, StringWriter err, String... args) {
		CommandLine cli = LumenMain.commandLine();
		CommandLine token = cli.getSubcommands().get("user").getSubcommands().get("token");
		for (CommandLine line : List.of(cli, token, token.getSubcommands().get("create"), token.getSubcommands().get("revoke"))) {
			line.setOut(new PrintWriter(out, true));
			line.setErr(new PrintWriter(err, true));
		}
		List<String> all = new ArrayList<>(List.of("user", "token"));
		all.addAll(List.of(args));
		all.addAll(TestDatabase.target().springArguments());
		return cli.execute(all.toArray(String[]::new));
	}

	private static JdbcTemplate jdbc() {
		TestDatabase.Target db = TestDatabase.target();
		return new JdbcTemplate(new DriverManagerDataSource(db.url(), db.username(), db.password()));
	}
}
