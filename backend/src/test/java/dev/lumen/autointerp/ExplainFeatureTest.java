package dev.lumen.autointerp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import dev.lumen.account.Role;
import dev.lumen.catalog.CatalogModelRepository;
import dev.lumen.catalog.SaeRegistrar;
import dev.lumen.feature.DecoderVectorWriter;
import dev.lumen.testing.DatabaseTest;
import dev.lumen.testing.FeatureFixture;
import dev.lumen.testing.ReviewFixture;
import dev.lumen.testing.TestCatalog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

/** The feature page's "explain this feature" button, against a stub OpenAI-compatible server. */
@AutoConfigureMockMvc
class ExplainFeatureTest extends DatabaseTest {

	static final StubLlmServer SERVER = LlmExplainerTest.newServer();

	@DynamicPropertySource
	static void explainer(DynamicPropertyRegistry registry) {
		registry.add("lumen.autointerp.provider", () -> "openai");
		registry.add("lumen.autointerp.model", () -> "stub-model");
		registry.add("lumen.autointerp.base-url", SERVER::baseUrl);
		registry.add("lumen.autointerp.api-key", () -> "test-key");
	}

	@AfterAll
	static void stopServer() {
		SERVER.close();
	}

	@Autowired
	MockMvc mvc;

	@Autowired
	ApplicationContext context;

	@Autowired
	CatalogModelRepository models;

	@Autowired
	SaeRegistrar registrar;

	@Autowired
	DecoderVectorWriter writer;

	@Autowired
	JdbcTemplate jdbc;

	TestCatalog catalog;

	FeatureFixture features;

	ReviewFixture reviewers;

	@BeforeEach
	void seed() {
		this.catalog = new TestCatalog(this.models, this.registrar);
		this.features = new FeatureFixture(this.catalog, this.writer, this.jdbc);
		this.reviewers = new ReviewFixture(this.context, 2);
	}

	@AfterEach
	void cleanUp() {
		this.reviewers.close();
		this.catalog.close();
	}

	@Test
	void aReviewerGetsANewLabelFromTheConfiguredModelAndSeesItOnThePage() throws Exception {
		String path = this.features.featurePath(FeatureFixture.FEATURE);
		String reviewer = this.reviewers.user(Role.REVIEWER);
		String page = this.mvc.perform(get(path).with(user(this.reviewers.login(reviewer)))).andReturn().getResponse()
			.getContentAsString();
		assertThat(page).contains("Explain this feature");

		SERVER.answer(200, LlmExplainerTest.openAiAnswer(
				"{\"label\": \"<b>sat on</b> before nouns\", \"description\": \"Fires after 'sat on'.\"}"));
		MockHttpServletResponse done = this.mvc.perform(post("/review/features" + path + "/explain")
			.with(user(this.reviewers.login(reviewer))).with(csrf())).andReturn().getResponse();
		assertThat(done.getStatus()).isEqualTo(302);
		assertThat(done.getRedirectedUrl()).isEqualTo(path);
		// the new label is audited like every other label change: who, which feature, which explainer
		assertThat(this.jdbc.queryForList("SELECT actor || ' ' || feature_index || ' ' || (after->>'explainer') FROM audit_event "
				+ "WHERE action = 'label.explain' AND actor = ?", String.class, reviewer))
			.containsExactly(reviewer + " " + FeatureFixture.FEATURE + " openai-compatible:stub-model");

		String after = this.mvc.perform(get(path).with(user(this.reviewers.login(reviewer))).flashAttr("explainMessage",
				"Labelled by the configured language model.")).andReturn().getResponse().getContentAsString();
		assertThat(after).contains("&lt;b&gt;sat on&lt;/b&gt; before nouns").doesNotContain("<b>sat on</b>")
			.contains("openai-compatible:stub-model").contains("Labelled by the configured language model.");
	}

	@Test
	void anonymousVisitorsSeeNoButtonAndCannotSpendTokens() throws Exception {
		String path = this.features.featurePath(FeatureFixture.FEATURE);
		assertThat(this.mvc.perform(get(path)).andReturn().getResponse().getContentAsString())
			.doesNotContain("Explain this feature");
		int before = SERVER.requests.size();
		MockHttpServletResponse refused = this.mvc.perform(post("/review/features" + path + "/explain").with(csrf()))
			.andReturn().getResponse();
		assertThat(refused.getStatus()).isIn(302, 401, 403);
		assertThat(SERVER.requests).hasSize(before);
	}

	@Test
	void aProviderFailureIsReportedOnThePageAndStoresNoLabel() throws Exception {
		String path = this.features.featurePath(FeatureFixture.FEATURE);
		String reviewer = this.reviewers.user(Role.REVIEWER);
		Integer labels = this.jdbc.queryForObject("SELECT count(*) FROM feature_label", Integer.class);
		for (int i = 0; i < 3; i++) {
			SERVER.answer(500, "{\"error\":\"down\"}");
		}
		org.springframework.test.web.servlet.MvcResult done = this.mvc.perform(post("/review/features" + path + "/explain")
			.with(user(this.reviewers.login(reviewer))).with(csrf())).andReturn();
		assertThat(done.getResponse().getStatus()).isEqualTo(302);
		assertThat((String) done.getFlashMap().get("explainMessage")).startsWith("Could not explain this feature:")
			.contains("500");
		assertThat(this.jdbc.queryForObject("SELECT count(*) FROM feature_label", Integer.class)).isEqualTo(labels);
	}
}
