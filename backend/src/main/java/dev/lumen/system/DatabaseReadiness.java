package dev.lumen.system;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Checks the database before Flyway migrates it, so a missing server or a missing pgvector fails the
 * start with one message that says what to run, instead of a stack trace from deep inside a migration.
 */
@Configuration(proxyBeanMethods = false)
class DatabaseReadiness {

	static final String START_LOCAL_DB = "Start the local database with './lumen db start' (it installs nothing; "
			+ "run 'db/scripts/install-postgres.sh' first on a new machine), or point SPRING_DATASOURCE_URL, "
			+ "SPRING_DATASOURCE_USERNAME and SPRING_DATASOURCE_PASSWORD at a PostgreSQL 15+ server with pgvector.";

	@Bean
	FlywayMigrationStrategy checkDatabaseThenMigrate() {
		return flyway -> {
			DataSource dataSource = flyway.getConfiguration().getDataSource();
			String url = dataSource instanceof HikariDataSource hikari ? hikari.getJdbcUrl() : flyway.getConfiguration().getUrl();
			check(dataSource, url);
			flyway.migrate();
		};
	}

	/** @throws DatabaseNotReadyException when the database is unreachable or lacks pgvector */
	static void check(DataSource dataSource, String url) {
		try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
			if (exists(st, "SELECT 1 FROM pg_extension WHERE extname = 'vector'")) {
				return;
			}
			String db = c.getCatalog();
			if (exists(st, "SELECT 1 FROM pg_available_extensions WHERE name = 'vector'")) {
				throw new DatabaseNotReadyException("The pgvector extension is installed on the server but not enabled in "
						+ "database '" + db + "'.", "As a superuser run: CREATE EXTENSION vector; in database '" + db
						+ "' ('./lumen db start' does this for the local database).", null);
			}
			throw new DatabaseNotReadyException("The PostgreSQL server for database '" + db
					+ "' does not have the pgvector extension installed.",
					"Run 'db/scripts/install-postgres.sh' (builds pgvector), then './lumen db start'.", null);
		}
		catch (SQLException ex) {
			throw new DatabaseNotReadyException("Cannot connect to PostgreSQL at " + (url != null ? url : "the configured URL")
					+ ": " + ex.getMessage(), START_LOCAL_DB, ex);
		}
	}

	private static boolean exists(Statement st, String sql) throws SQLException {
		try (ResultSet rs = st.executeQuery(sql)) {
			return rs.next();
		}
	}
}
