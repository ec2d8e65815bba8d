package dev.lumen.testing;

import dev.lumen.catalog.CatalogModelRepository;
import dev.lumen.catalog.SaeRegistrar;
import dev.lumen.feature.DecoderVectorWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Base for page and API tests over HTTP: before each test a {@link FeatureFixture} is seeded (model, SAEs,
 * features, examples, labels) and afterwards removed.
 */
public abstract class SeededDatabaseTest extends DatabaseTest {

	@LocalServerPort
	protected int port;

	@Autowired
	protected CatalogModelRepository models;

	@Autowired
	protected SaeRegistrar registrar;

	@Autowired
	protected DecoderVectorWriter writer;

	@Autowired
	protected JdbcTemplate jdbc;

	protected TestCatalog catalog;

	protected FeatureFixture fixture;

	protected PageClient client;

	@BeforeEach
	void seedFixture() {
		this.catalog = new TestCatalog(this.models, this.registrar);
		this.fixture = new FeatureFixture(this.catalog, this.writer, this.jdbc);
		this.client = new PageClient(this.port);
	}

	@AfterEach
	void removeFixture() {
		this.catalog.close();
	}
}
