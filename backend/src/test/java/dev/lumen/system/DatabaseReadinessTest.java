package dev.lumen.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lumen.testing.TestDatabase;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

class DatabaseReadinessTest {

	@Test
	void unreachableDatabaseFailsWithOneMessageThatSaysWhatToRun() throws Exception {
		int freePort;
		try (ServerSocket socket = new ServerSocket(0)) {
			freePort = socket.getLocalPort();
		}
		String url = "jdbc:postgresql://127.0.0.1:" + freePort + "/lumen";
		var dataSource = new DriverManagerDataSource(url, "lumen", "lumen");

		assertThatThrownBy(() -> DatabaseReadiness.check(dataSource, url)).isInstanceOfSatisfying(
				DatabaseNotReadyException.class, ex -> {
					assertThat(ex.getMessage()).startsWith("Cannot connect to PostgreSQL at " + url);
					assertThat(ex.action()).contains("./lumen db start").contains("SPRING_DATASOURCE_URL");
					FailureAnalysis analysis = new DatabaseNotReadyFailureAnalyzer().analyze(new RuntimeException(ex));
					assertThat(analysis.getDescription()).isEqualTo(ex.getMessage());
					assertThat(analysis.getAction()).isEqualTo(ex.action());
				});
	}

	@Test
	void databaseWithoutPgvectorIsReportedWithTheCommandThatEnablesIt() {
		TestDatabase.Target test = TestDatabase.target();
		// the maintenance database 'postgres' exists on every server and never has the extension here
		String url = test.url().replaceFirst("/[^/?]+(\\?|$)", "/postgres$1");
		var dataSource = new DriverManagerDataSource(url, test.username(), test.password());

		assertThatThrownBy(() -> DatabaseReadiness.check(dataSource, url)).isInstanceOfSatisfying(
				DatabaseNotReadyException.class, ex -> {
					assertThat(ex.getMessage()).contains("pgvector").contains("'postgres'");
					assertThat(ex.action()).contains("CREATE EXTENSION vector");
				});
	}

	@Test
	void databaseWithPgvectorPasses() {
		TestDatabase.Target test = TestDatabase.target();
		DatabaseReadiness.check(new DriverManagerDataSource(test.url(), test.username(), test.password()), test.url());
	}
}
