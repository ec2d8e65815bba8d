package dev.lumen.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import dev.lumen.account.Role;
import dev.lumen.review.Flag;
import dev.lumen.review.FlagCategory;
import dev.lumen.review.FlagRepository;
import dev.lumen.review.FlagService;
import dev.lumen.review.FeatureResolver;
import dev.lumen.review.Severity;
import dev.lumen.testing.ReviewDatabaseTest;
import dev.lumen.testing.ReviewFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/** A logged-in reviewer's change without a valid CSRF token is refused and changes nothing. */
@AutoConfigureMockMvc
class CsrfProtectionTest extends ReviewDatabaseTest {

	@Override
	protected int fixtureFeatures() {
		return 4;
	}

	@Autowired
	MockMvc mvc;

	@Autowired
	FlagRepository flagRows;

	String reviewer;

	Flag flag;

	@BeforeEach
	void setUp() {
		this.reviewer = this.fixture.user(Role.REVIEWER);
		this.flag = this.flags.create(this.reviewer, this.features.require(this.fixture.sae.getId(), 2),
				new FlagService.NewFlag(FlagCategory.SYCOPHANCY, Severity.LOW, "csrf", null, null));
	}

	@Test
	void postWithoutTokenIsForbiddenAndChangesNothing() throws Exception {
		assertThat(status(transition())).isEqualTo(403);
		assertUnchanged();
	}

	@Test
	void postWithAWrongTokenIsForbidden() throws Exception {
		assertThat(status(transition().with(csrf().useInvalidToken()))).isEqualTo(403);
		assertThat(status(transition().with(csrf().asHeader().useInvalidToken()).header("HX-Request", "true"))).isEqualTo(403);
		assertUnchanged();
	}

	@Test
	void tokenInTheHeaderAsHtmxSendsItIsAccepted() throws Exception {
		assertThat(status(transition().with(csrf().asHeader()).header("HX-Request", "true"))).isEqualTo(302);
		assertThat(this.flagRows.findById(this.flag.getId()).orElseThrow().getState().name()).isEqualTo("IN_REVIEW");
	}

	@Test
	void loginAndLogoutNeedTheTokenToo() throws Exception {
		assertThat(status(post("/login").param("username", this.reviewer).param("password", ReviewFixture.PASSWORD))).isEqualTo(403);
		assertThat(status(post("/logout").with(user(this.fixture.login(this.reviewer))))).isEqualTo(403);
	}

	private MockHttpServletRequestBuilder transition() {
		return post("/review/flags/" + this.flag.getId() + "/transition").param("version", "" + this.flag.getVersion())
			.param("state", "IN_REVIEW")
			.with(user(this.fixture.login(this.reviewer)));
	}

	private int status(MockHttpServletRequestBuilder request) throws Exception {
		return this.mvc.perform(request).andReturn().getResponse().getStatus();
	}

	private void assertUnchanged() {
		Flag now = this.flagRows.findById(this.flag.getId()).orElseThrow();
		assertThat(now.getState().name()).isEqualTo("OPEN");
		assertThat(now.getVersion()).isEqualTo(this.flag.getVersion());
	}
}
