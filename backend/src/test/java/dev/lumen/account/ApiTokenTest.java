package dev.lumen.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import dev.lumen.audit.AuditEvent;
import dev.lumen.audit.AuditLog;
import dev.lumen.review.Flag;
import dev.lumen.review.FlagCategory;
import dev.lumen.review.FlagRepository;
import dev.lumen.review.FlagService;
import dev.lumen.review.Severity;
import dev.lumen.testing.ReviewDatabaseTest;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/** Personal API tokens: Bearer requests skip CSRF, keep to their scopes and the owner's role, and are audited. */
@AutoConfigureMockMvc
class ApiTokenTest extends ReviewDatabaseTest {

	@Override
	protected int fixtureFeatures() {
		return 4;
	}

	@Autowired
	MockMvc mvc;

	@Autowired
	ApiTokens tokens;

	@Autowired
	FlagRepository flagRows;

	@Autowired
	AuditLog audit;

	@Autowired
	JdbcTemplate jdbc;

	String reviewer;

	Flag flag;

	@BeforeEach
	void setUp() {
		this.reviewer = this.fixture.user(Role.REVIEWER);
		this.flag = this.flags.create(this.reviewer, this.features.require(this.fixture.sae.getId(), 1),
				new FlagService.NewFlag(FlagCategory.BIAS, Severity.LOW, "token", null, null));
	}

	@Test
	void reviewTokenTransitionsAFlagWithoutCsrfOrSessionAndTheAuditRowNamesTheToken() throws Exception {
		ApiTokens.Created token = this.tokens.create(this.reviewer, "nightly triage", EnumSet.of(ApiTokenScope.REVIEW));
		MvcResult result = this.mvc.perform(transition().header("Authorization", "Bearer " + token.token())).andReturn();
		assertThat(result.getResponse().getStatus()).isEqualTo(302);
		assertThat(this.flagRows.findById(this.flag.getId()).orElseThrow().getState().name()).isEqualTo("IN_REVIEW");
		List<AuditEvent> trail = this.audit.forEntity("flag", this.flag.getId());
		assertThat(trail.get(trail.size() - 1).actor())
			.isEqualTo(this.reviewer + " via token #" + token.view().id() + " \"nightly triage\"");
		assertThat(this.tokens.list(this.reviewer).get(0).lastUsedAt()).isNotNull();
	}

	@Test
	void steerTokenReachesTheSteeringApiWithAJsonPostAndNoCsrf() throws Exception {
		String token = this.tokens.create(this.reviewer, "steer", EnumSet.of(ApiTokenScope.STEER)).token();
		MvcResult result = this.mvc.perform(steer().header("Authorization", "Bearer " + token)).andReturn();
		MockHttpServletResponse response = result.getResponse();
		assertThat(result.getRequest().getSession(false)).isNull();
		// the empty request is refused by the steering service itself, so security let it through
		assertThat(response.getStatus()).isEqualTo(400);
		assertThat(response.getContentAsString()).contains("prompt");
	}

	@Test
	void readTokenIsRefusedSteeringAndReviewButMayRead() throws Exception {
		String token = this.tokens.create(this.reviewer, "read only", EnumSet.noneOf(ApiTokenScope.class)).token();
		assertThat(status(steer().header("Authorization", "Bearer " + token))).isEqualTo(403);
		// percent-encoding the path does not dodge the scope check
		MockHttpServletRequest encoded = new MockHttpServletRequest("POST", "/api/%73teer");
		ApiTokenAuthentication readOnly = new ApiTokenAuthentication(this.tokens.verify(token).orElseThrow());
		assertThat(BearerTokenFilter.refusal(encoded, readOnly)).contains("'steer' scope");
		assertThat(status(transition().header("Authorization", "Bearer " + token))).isEqualTo(403);
		assertThat(this.flagRows.findById(this.flag.getId()).orElseThrow().getState().name()).isEqualTo("OPEN");
		assertThat(status(get("/api/models").header("Authorization", "Bearer " + token))).isEqualTo(200);
	}

	@Test
	void theOwnersRoleStillLimitsAReviewToken() throws Exception {
		String viewer = this.fixture.user(Role.VIEWER);
		String token = this.tokens.create(viewer, "wishful", EnumSet.of(ApiTokenScope.REVIEW)).token();
		assertThat(status(transition().header("Authorization", "Bearer " + token))).isEqualTo(403);
		assertThat(this.flagRows.findById(this.flag.getId()).orElseThrow().getState().name()).isEqualTo("OPEN");
	}

	@Test
	void wrongAndRevokedTokensGet401() throws Exception {
		ApiTokens.Created token = this.tokens.create(this.reviewer, "soon revoked", EnumSet.of(ApiTokenScope.REVIEW));
		assertThat(status(get("/api/models").header("Authorization", "Bearer lumen_not-a-real-token"))).isEqualTo(401);
		assertThat(this.tokens.revoke(this.reviewer, token.view().id())).isTrue();
		assertThat(status(transition().header("Authorization", "Bearer " + token.token()))).isEqualTo(401);
		assertThat(status(get("/api/models").header("Authorization", "Bearer " + token.token()))).isEqualTo(401);
		assertThat(this.flagRows.findById(this.flag.getId()).orElseThrow().getState().name()).isEqualTo("OPEN");
	}

	@Test
	void onlyTheSha256OfTheTokenIsStored() {
		ApiTokens.Created token = this.tokens.create(this.reviewer, "hashed", EnumSet.noneOf(ApiTokenScope.class));
		assertThat(token.token()).startsWith(ApiTokens.PREFIX).hasSizeGreaterThan(40);
		byte[] stored = this.jdbc.queryForObject("SELECT token_hash FROM api_token WHERE id = ?", byte[].class, token.view().id());
		assertThat(stored).isEqualTo(ApiTokens.sha256(token.token()));
		Long plainCopies = this.jdbc.queryForObject("SELECT count(*) FROM api_token WHERE position(? in name || prefix || "
				+ "encode(token_hash, 'escape')) > 0", Long.class, token.token());
		assertThat(plainCopies).isZero();
	}

	@Test
	void tokensCannotManageAccountsOrTokens() throws Exception {
		String token = this.tokens.create(this.reviewer, "greedy", EnumSet.allOf(ApiTokenScope.class)).token();
		assertThat(status(post("/account/tokens").param("name", "another").header("Authorization", "Bearer " + token)))
			.isEqualTo(403);
		assertThat(this.tokens.list(this.reviewer)).hasSize(1);
	}

	@Test
	void theAccountPageShowsANewTokenOnceAndRevokesIt() throws Exception {
		MvcResult created = this.mvc.perform(post("/account/tokens").param("name", "<b>script</b>").param("scope", "steer")
			.with(user(this.fixture.login(this.reviewer))).with(csrf())).andReturn();
		ApiTokens.Created flash = (ApiTokens.Created) created.getFlashMap().get("created");
		assertThat(flash.view().scopes()).containsExactly("read", "steer");
		String page = this.mvc.perform(get("/account/tokens").with(user(this.fixture.login(this.reviewer))))
			.andReturn().getResponse().getContentAsString();
		assertThat(page).contains("&lt;b&gt;script&lt;/b&gt;", flash.view().prefix()).doesNotContain(flash.token());
		String redirectedTo = this.mvc.perform(get("/account/tokens").flashAttr("created", flash)
			.with(user(this.fixture.login(this.reviewer)))).andReturn().getResponse().getContentAsString();
		assertThat(redirectedTo).contains(flash.token(), "not shown again");
		assertThat(status(post("/account/tokens/" + flash.view().id() + "/revoke")
			.with(user(this.fixture.login(this.reviewer))).with(csrf()))).isEqualTo(302);
		assertThat(this.tokens.list(this.reviewer).get(0).revokedAt()).isNotNull();
		assertThat(this.tokens.verify(flash.token())).isEmpty();
	}

	private MockHttpServletRequestBuilder transition() {
		return post("/review/flags/" + this.flag.getId() + "/transition").param("version", "" + this.flag.getVersion())
			.param("state", "IN_REVIEW");
	}

	private static MockHttpServletRequestBuilder steer() {
		return post("/api/steer").contentType(MediaType.APPLICATION_JSON).content("{}");
	}

	private int status(MockHttpServletRequestBuilder request) throws Exception {
		return this.mvc.perform(request).andReturn().getResponse().getStatus();
	}
}
