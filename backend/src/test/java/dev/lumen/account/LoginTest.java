package dev.lumen.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import dev.lumen.testing.DatabaseTest;
import dev.lumen.testing.ReviewFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
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
	void sessionCookieSettingsAreSecureHttpOnlyAndSameSite() {
		var env = this.context.getEnvironment();
		assertThat(env.getProperty("server.servlet.session.cookie.secure")).isEqualTo("true");
		assertThat(env.getProperty("server.servlet.session.cookie.http-only")).isEqualTo("true");
		assertThat(env.getProperty("server.servlet.session.cookie.same-site")).isEqualTo("lax");
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
	void fiveFailuresBlockEvenTheRightPasswordForThatUser(CapturedOutput output) throws Exception {
		String name = this.fixture.user(Role.REVIEWER);
		String other = this.fixture.user(Role.REVIEWER);
		for (int i = 0; i < 5; i++) {
			assertThat(login(name, "guess-" + i + "-secret").getRedirectedUrl()).isEqualTo("/login?error");
		}
		assertThat(login(name, ReviewFixture.PASSWORD).getRedirectedUrl()).isEqualTo("/login?throttled");
		assertThat(login(name.toUpperCase(), ReviewFixture.PASSWORD).getRedirectedUrl()).isEqualTo("/login?throttled");
		// another user from the same address is not locked out by them
		assertThat(login(other, ReviewFixture.PASSWORD).getRedirectedUrl()).isEqualTo("/");
		String page = this.mvc.perform(get("/login").param("throttled", "")).andReturn().getResponse().getContentAsString();
		assertThat(page).contains("Too many failed logins. Try again in 15 minutes.");
		// neither the tried passwords nor the real one reach the logs
		assertThat(output.getAll()).doesNotContain("guess-0-secret").doesNotContain(ReviewFixture.PASSWORD);
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

	private MockHttpServletResponse login(String username, String password) throws Exception {
		return this.mvc.perform(post("/login").param("username", username).param("password", password).with(csrf()))
			.andReturn()
			.getResponse();
	}
}
