package dev.lumen.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

import dev.lumen.account.Role;
import dev.lumen.testing.DatabaseTest;
import dev.lumen.testing.ReviewFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.ApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/** With {@code lumen.security.public-browsing=false}, everything but the login page and static files needs a login. */
@AutoConfigureMockMvc
@TestPropertySource(properties = "lumen.security.public-browsing=false")
class LoginOnlyBrowsingTest extends DatabaseTest {

	@Autowired
	MockMvc mvc;

	@Autowired
	ApplicationContext context;

	ReviewFixture fixture;

	@BeforeEach
	void setUp() {
		this.fixture = new ReviewFixture(this.context, 2);
	}

	@AfterEach
	void tearDown() {
		this.fixture.close();
	}

	@Test
	void anonymousVisitorsAreSentToTheLoginPage() throws Exception {
		for (String path : new String[] { "/", "/lists", "/review/features/" + this.fixture.mention(1) + "/badge",
				"/some/feature/page" }) {
			// as a browser asks for a page
			MockHttpServletResponse r = perform(get(path).accept(MediaType.TEXT_HTML));
			assertThat(r.getRedirectedUrl()).as(path).endsWith("/login");
		}
	}

	@Test
	void htmxAndApiCallsGet401InsteadOfTheLoginPage() throws Exception {
		assertThat(perform(get("/review/features/" + this.fixture.mention(1) + "/badge").header("HX-Request", "true")).getStatus())
			.isEqualTo(401);
		assertThat(perform(get("/api/models")).getStatus()).isEqualTo(401);
	}

	@Test
	void loginPageStaticFilesAndHealthStayOpen() throws Exception {
		for (String path : new String[] { "/login", "/css/lumen.css", "/css/review.css", "/js/lumen.js", "/actuator/health" }) {
			assertThat(perform(get(path)).getStatus()).as(path).isEqualTo(200);
		}
	}

	@Test
	void aViewerBrowsesNormally() throws Exception {
		String viewer = this.fixture.user(Role.VIEWER);
		assertThat(perform(get("/").with(user(this.fixture.login(viewer)))).getStatus()).isEqualTo(200);
		assertThat(perform(get("/review/features/" + this.fixture.mention(1) + "/badge").with(user(this.fixture.login(viewer))))
			.getStatus()).isEqualTo(200);
	}

	private MockHttpServletResponse perform(MockHttpServletRequestBuilder request) throws Exception {
		return this.mvc.perform(request).andReturn().getResponse();
	}
}
