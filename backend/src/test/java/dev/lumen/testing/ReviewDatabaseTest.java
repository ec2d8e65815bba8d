package dev.lumen.testing;

import dev.lumen.review.FeatureResolver;
import dev.lumen.review.FlagService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

/**
 * Base for review tests: a fresh {@link ReviewFixture} (model, SAE, users) around every test, and the services
 * most of them flag features with. Subclasses' own {@code @BeforeEach} methods run after the fixture exists,
 * their {@code @AfterEach} methods before it is deleted.
 */
public abstract class ReviewDatabaseTest extends DatabaseTest {

	@Autowired
	protected ApplicationContext context;

	@Autowired
	protected FlagService flags;

	@Autowired
	protected FeatureResolver features;

	protected ReviewFixture fixture;

	/** @return how many features the fixture's SAE has */
	protected int fixtureFeatures() {
		return 8;
	}

	@BeforeEach
	void createReviewFixture() {
		this.fixture = new ReviewFixture(this.context, fixtureFeatures());
	}

	@AfterEach
	void deleteReviewFixture() {
		this.fixture.close();
	}
}
