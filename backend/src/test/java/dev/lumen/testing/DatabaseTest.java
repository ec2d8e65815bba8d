package dev.lumen.testing;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base for tests that start the whole app against the test database (see {@link TestDatabase}). Label embeddings
 * are not backfilled in the background at start-up: tests that need them call {@code LabelEmbeddings.backfill}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "lumen.search.embeddings.backfill-on-start=false", "lumen.public-url=http://localhost" })
public abstract class DatabaseTest {

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		TestDatabase.register(registry);
	}
}
