package dev.lumen.testing;

import java.util.ServiceConfigurationError;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * Where integration tests find PostgreSQL + pgvector, in this order: {@code LUMEN_TEST_DB_URL} (with
 * {@code LUMEN_TEST_DB_USER}/{@code LUMEN_TEST_DB_PASSWORD}); a Testcontainers {@code pgvector/pgvector:pg17}
 * container when a Docker engine is reachable; otherwise the local cluster's {@code lumen_test} database that
 * {@code ./lumen test} starts ({@code db/scripts/local-db.sh}).
 */
public final class TestDatabase {

	private static volatile Target target;

	private TestDatabase() {
	}

	/**
	 * Connection settings of the test database. The tests connect as the owner ({@code username}, which runs the
	 * migrations); {@code appUser} is the least-privilege application role ({@code LUMEN_TEST_DB_APP_USER} /
	 * {@code LUMEN_TEST_DB_APP_PASSWORD}, default {@code lumen_app} as {@code db/scripts/local-db.sh} creates it),
	 * which the migrations grant its rights and the privilege tests connect as.
	 */
	public record Target(String url, String username, String password, String kind, String appUser, String appPassword) {

		/** @return the command-line arguments that point a CLI run at this database (as the owner, like the tests) */
		public java.util.List<String> springArguments() {
			return java.util.List.of("--spring.datasource.url=" + url, "--spring.datasource.username=" + username,
					"--spring.datasource.password=" + password, "--spring.flyway.user=" + username,
					"--spring.flyway.password=" + password, "--spring.flyway.placeholders.app_role=" + appUser);
		}

		Target(String url, String username, String password, String kind) {
			this(url, username, password, kind, env("LUMEN_TEST_DB_APP_USER", "lumen_app"),
					env("LUMEN_TEST_DB_APP_PASSWORD", env("LUMEN_DB_APP_PASSWORD", "lumen_app")));
		}
	}

	/** Registers the test database as the Spring data source. */
	public static void register(DynamicPropertyRegistry registry) {
		Target t = target();
		registry.add("spring.datasource.url", t::url);
		registry.add("spring.datasource.username", t::username);
		registry.add("spring.datasource.password", t::password);
		registry.add("spring.flyway.user", t::username);
		registry.add("spring.flyway.password", t::password);
		registry.add("spring.flyway.placeholders.app_role", t::appUser);
		// the test framework caches one application context per configuration: small pools keep their sum under
		// the server's connection limit
		registry.add("spring.datasource.hikari.maximum-pool-size", () -> "4");
		registry.add("spring.datasource.hikari.minimum-idle", () -> "1");
	}

	/** @return the test database, starting a container on first use when Docker is there */
	public static synchronized Target target() {
		if (target == null) {
			target = resolve();
		}
		return target;
	}

	private static Target resolve() {
		String url = System.getenv("LUMEN_TEST_DB_URL");
		if (url != null && !url.isBlank()) {
			return new Target(url, env("LUMEN_TEST_DB_USER", "lumen"), env("LUMEN_TEST_DB_PASSWORD", "lumen"), "env");
		}
		if (dockerAvailable()) {
			PostgreSQLContainer container = new PostgreSQLContainer(
					DockerImageName.parse("pgvector/pgvector:pg17").asCompatibleSubstituteFor("postgres"));
			container.start();
			return new Target(container.getJdbcUrl(), container.getUsername(), container.getPassword(), "testcontainers");
		}
		return new Target("jdbc:postgresql://127.0.0.1:" + env("LUMEN_DB_PORT", "54329") + "/lumen_test", "lumen",
				env("LUMEN_DB_PASSWORD", "lumen"), "local cluster");
	}

	private static boolean dockerAvailable() {
		if ("false".equals(System.getenv("LUMEN_TEST_DOCKER"))) {
			return false;
		}
		try {
			return DockerClientFactory.instance().isDockerAvailable();
		}
		catch (RuntimeException | ServiceConfigurationError | LinkageError ex) {
			// no usable Docker client here: fall back to the local cluster
			return false;
		}
	}

	private static String env(String name, String fallback) {
		String v = System.getenv(name);
		return v == null || v.isBlank() ? fallback : v;
	}
}
