package dev.lumen.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import dev.lumen.testing.DatabaseTest;
import dev.lumen.testing.HttpBrowser;
import dev.lumen.testing.ReviewFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MockMvc;

/** Form login against the database: bcrypt hashes, disabled users, rate limiting, and no secret in the logs. */
@AutoConfigureMockMvc
@ExtendWith(OutputCaptureExtension.class)
class LoginTest extends DatabaseTest {

	@Autowired
	MockMvc mvc;

	@Autowired
	ApplicationContext context;

	@Autowired
	AccountService accounts;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	ApiTokens tokens;

	@LocalServerPort
	int port;

	ReviewFixture fixture;

	@BeforeEach
	void setUp() {
		this.fixture = new ReviewFixture(this.context, 1);
	}

	@AfterEach
	void tearDown() {
		this.fixture.close();
	}

	@Test
	void rightPasswordLogsInAndOnlyABcryptHashIsStored() throws Exception {
		String name = this.fixture.user(Role.VIEWER);
		MockHttpServletResponse response = login(name, ReviewFixture.PASSWORD);
		assertThat(response.getRedirectedUrl()).isEqualTo("/");
		String hash = this.jdbc.queryForObject("SELECT password_hash FROM app_user WHERE username = ?", String.class, name);
		assertThat(hash).startsWith("{bcrypt}$2a$").doesNotContain(ReviewFixture.PASSWORD);
	}

	@Test
	void sessionCookieIsSecureOnlyWhenTheRequestIsHttpOnlyAndSameSiteAlways() {
		String plain = new HttpBrowser(this.port).get("/login").headers().firstValue("Set-Cookie").orElseThrow();
		assertThat(plain).startsWith("JSESSIONID=").containsIgnoringCase("HttpOnly").containsIgnoringCase("SameSite=Lax")
			.doesNotContainIgnoringCase("Secure");
		// behind a proxy on this machine that terminated HTTPS
		String proxied = new HttpBrowser(this.port, "X-Forwarded-Proto", "https").get("/login").headers()
			.firstValue("Set-Cookie").orElseThrow();
		assertThat(proxied).startsWith("JSESSIONID=").containsIgnoringCase("; Secure").containsIgnoringCase("HttpOnly");
	}

	@Test
	void wrongPasswordAndDisabledUsersAreRefused() throws Exception {
		String name = this.fixture.user(Role.REVIEWER);
		assertThat(login(name, "not the password").getRedirectedUrl()).isEqualTo("/login?error");
		long id = this.accounts.all().stream().filter(u -> u.getUsername().equals(name)).findFirst().orElseThrow().getId();
		this.accounts.setEnabled("test", id, false);
		assertThat(login(name, ReviewFixture.PASSWORD).getRedirectedUrl()).isEqualTo("/login?error");
	}

	@Test
	void fiveFailuresFromOneAddressSlowThatAccountThereButNotItsOwnerElsewhere(CapturedOutput output) throws Exception {
		String name = this.fixture.user(Role.REVIEWER);
		String other = this.fixture.user(Role.REVIEWER);
		for (int i = 0; i < 5; i++) {
			assertThat(login(name, "guess-" + i + "-secret", "198.51.100.5").getRedirectedUrl()).isEqualTo("/login?error");
		}
		assertThat(login(name, ReviewFixture.PASSWORD, "198.51.100.5").getRedirectedUrl()).isEqualTo("/login?throttled");
		assertThat(login(name.toUpperCase(), ReviewFixture.PASSWORD, "198.51.100.5").getRedirectedUrl()).isEqualTo("/login?throttled");
		// another user from the same address, and the owner from their own address, are not locked out by them
		assertThat(login(other, ReviewFixture.PASSWORD, "198.51.100.5").getRedirectedUrl()).isEqualTo("/");
		assertThat(login(name, ReviewFixture.PASSWORD, "198.51.100.6").getRedirectedUrl()).isEqualTo("/");
		String page = this.mvc.perform(get("/login").param("throttled", "")).andReturn().getResponse().getContentAsString();
		assertThat(page).contains("Too many failed logins. Try again in 3 minutes.");
		// neither the tried passwords nor the real one reach the logs
		assertThat(output.getAll()).doesNotContain("guess-0-secret").doesNotContain(ReviewFixture.PASSWORD);
	}

	@Test
	void aPercentEncodedLoginPathIsThrottledLikeThePlainOne() {
		String name = this.fixture.user(Role.REVIEWER);
		HttpBrowser browser = new HttpBrowser(this.port);
		for (int i = 0; i < 5; i++) {
			var response = browser.postForm("/%6cogin", "/login", "username", name, "password", "guess-" + i);
			assertThat(response.headers().firstValue("Location")).as("%s %s", response.statusCode(), response.body())
				.hasValueSatisfying(l -> assertThat(l).endsWith("/login?error"));
		}
		var refused = browser.postForm("/%6cogin", "/login", "username", name, "password", ReviewFixture.PASSWORD);
		assertThat(refused.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/login?throttled"));
		var plain = browser.postForm("/login", "/login", "username", name, "password", ReviewFixture.PASSWORD);
		assertThat(plain.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/login?throttled"));
	}

	@Test
	void changingTheRoleOrDisablingAUserEndsTheirOpenSessions() throws Exception {
		String name = this.fixture.user(Role.REVIEWER);
		MockHttpSession session = (MockHttpSession) this.mvc.perform(post("/login").param("username", name)
			.param("password", ReviewFixture.PASSWORD).with(csrf())).andReturn().getRequest().getSession(false);
		assertThat(this.mvc.perform(get("/review").session(session)).andReturn().getResponse().getStatus()).isEqualTo(200);
		long id = this.accounts.all().stream().filter(u -> u.getUsername().equals(name)).findFirst().orElseThrow().getId();

		this.accounts.changeRole("test", id, Role.VIEWER);

		assertThat(this.mvc.perform(get("/review").session(session)).andReturn().getResponse().getRedirectedUrl())
			.isEqualTo("/login?expired");
	}

	@Test
	void changingThePasswordEndsTheUsersOtherSessionsButNotTheOneThatChangedIt() throws Exception {
		String name = this.fixture.user(Role.REVIEWER);
		MockHttpSession here = sessionOf(name, ReviewFixture.PASSWORD);
		MockHttpSession elsewhere = sessionOf(name, ReviewFixture.PASSWORD);

		this.mvc.perform(post("/account/password").session(here).with(csrf()).param("currentPassword", ReviewFixture.PASSWORD)
			.param("newPassword", "a brand new passphrase"));

		assertThat(this.accounts.passwordMatches(name, "a brand new passphrase")).isTrue();
		assertThat(this.mvc.perform(get("/review").session(elsewhere)).andReturn().getResponse().getRedirectedUrl())
			.isEqualTo("/login?expired");
		assertThat(this.mvc.perform(get("/review").session(here)).andReturn().getResponse().getStatus()).isEqualTo(200);
	}

	@Test
	void changingThePasswordRevokesTheUsersApiTokensWhenTheBoxStaysTicked() throws Exception {
		String name = this.fixture.user(Role.REVIEWER);
		String first = this.tokens.create(name, "nightly", java.util.EnumSet.of(ApiTokenScope.READ)).token();
		String second = this.tokens.create(name, "export", java.util.EnumSet.of(ApiTokenScope.REVIEW)).token();
		MockHttpSession session = sessionOf(name, ReviewFixture.PASSWORD);
		assertThat(this.mvc.perform(get("/account/password").session(session)).andReturn().getResponse().getContentAsString())
			.contains("name=\"revokeTokens\" value=\"true\" checked").contains("Also revoke my <span>2</span>");
		assertThat(bearerStatus(first)).isEqualTo(200);

		var result = this.mvc.perform(post("/account/password").session(session).with(csrf())
			.param("currentPassword", ReviewFixture.PASSWORD).param("newPassword", "a brand new passphrase")
			.param("revokeTokens", "true")).andReturn();

		assertThat((String) result.getFlashMap().get("message")).endsWith("2 API tokens revoked");
		assertThat(bearerStatus(first)).isEqualTo(401);
		assertThat(bearerStatus(second)).isEqualTo(401);
		assertThat(this.jdbc.queryForObject("SELECT count(*) FROM audit_event WHERE action = 'token.revoke' AND actor = ?",
				Integer.class, name)).isEqualTo(2);
	}

	@Test
	void untickingTheBoxKeepsTheTokensWorkingAfterAPasswordChange() throws Exception {
		String name = this.fixture.user(Role.REVIEWER);
		String token = this.tokens.create(name, "nightly", java.util.EnumSet.of(ApiTokenScope.READ)).token();
		MockHttpSession session = sessionOf(name, ReviewFixture.PASSWORD);

		var result = changePassword(session, ReviewFixture.PASSWORD, "a brand new passphrase");

		assertThat((String) result.getFlashMap().get("message")).isEqualTo("Password changed; your other sessions have ended");
		assertThat(bearerStatus(token)).isEqualTo(200);
	}

	private int bearerStatus(String token) throws Exception {
		return this.mvc.perform(get("/api/models").header("Authorization", "Bearer " + token)).andReturn().getResponse().getStatus();
	}

	@Test
	void wrongCurrentPasswordsOnThePasswordFormAreThrottled() throws Exception {
		String name = this.fixture.user(Role.REVIEWER);
		MockHttpSession session = sessionOf(name, ReviewFixture.PASSWORD);
		for (int i = 0; i < 5; i++) {
			assertThat(changePassword(session, "guess-" + i, "whatever new one").getFlashMap().get("error"))
				.isEqualTo("The current password is wrong");
		}
		assertThat((String) changePassword(session, ReviewFixture.PASSWORD, "a brand new passphrase").getFlashMap().get("error"))
			.startsWith("Too many wrong passwords. Try again in 3 minutes");
		assertThat(this.accounts.passwordMatches(name, ReviewFixture.PASSWORD)).isTrue();
	}

	private MockHttpSession sessionOf(String name, String password) throws Exception {
		return (MockHttpSession) this.mvc.perform(post("/login").param("username", name).param("password", password).with(csrf()))
			.andReturn()
			.getRequest()
			.getSession(false);
	}

	private org.springframework.test.web.servlet.MvcResult changePassword(MockHttpSession session, String current, String next)
			throws Exception {
		return this.mvc.perform(post("/account/password").session(session).with(csrf()).param("currentPassword", current)
			.param("newPassword", next)).andReturn();
	}

	private MockHttpServletResponse login(String username, String password) throws Exception {
		return login(username, password, "127.0.0.1");
	}

	private MockHttpServletResponse login(String username, String password, String address) throws Exception {
		return this.mvc.perform(post("/login").param("username", username).param("password", password).with(csrf())
			.with(request -> {
				request.setRemoteAddr(address);
				return request;
			})).andReturn().getResponse();
	}
}
