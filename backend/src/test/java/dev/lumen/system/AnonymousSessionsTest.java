package dev.lumen.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.account.Role;
import dev.lumen.testing.FeatureFixture;
import dev.lumen.testing.HttpBrowser;
import dev.lumen.testing.ReviewFixture;
import dev.lumen.testing.SeededDatabaseTest;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.apache.catalina.Container;
import org.apache.catalina.Context;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;

/**
 * Anonymous readers get no session: reading pages is stateless (no {@code JSESSIONID}, nothing kept on the server
 * for eight hours per visitor), and a session starts only where one is needed: the login form and the playground,
 * the one form an anonymous user can post. Logging in and CSRF protection work as before.
 */
class AnonymousSessionsTest extends SeededDatabaseTest {

	@Autowired
	ApplicationContext context;

	ReviewFixture accounts;

	@BeforeEach
	void setUpAccounts() {
		this.accounts = new ReviewFixture(this.context, 1);
	}

	@AfterEach
	void removeAccounts() {
		this.accounts.close();
	}

	@Test
	void readingPagesAnonymouslyCreatesNoSession() {
		long before = sessionsCreated();
		String[] pages = { "/", this.fixture.featurePath(FeatureFixture.FEATURE), this.fixture.saePath(),
				this.fixture.saePath() + "?sort=density&dir=desc", "/search?q=cat", "/search/prompt",
				this.fixture.saePath() + "/map", "/analyze", "/" + this.fixture.model.getName() + "/no-such-sae",
				"/review/saes/" + this.fixture.model.getName() + "/" + this.fixture.sae.getName() + "/counts" };
		for (String page : pages) {
			HttpResponse<String> response = this.client.get(page);
			assertThat(response.statusCode()).as(page).isLessThan(500);
			assertThat(response.headers().allValues("Set-Cookie")).as(page).isEmpty();
			assertThat(response.body()).as(page).doesNotContain("name=\"_csrf\"");
		}
		assertThat(sessionsCreated()).isEqualTo(before);
	}

	@Test
	void theLoginFormAndThePlaygroundStartASessionForTheirCsrfToken() {
		for (String page : new String[] { "/login", "/playground" }) {
			HttpResponse<String> response = this.client.get(page);
			assertThat(response.statusCode()).as(page).isEqualTo(200);
			assertThat(response.headers().allValues("Set-Cookie")).as(page)
				.anySatisfy(c -> assertThat(c).startsWith("JSESSIONID="));
			assertThat(response.body()).as(page).contains("<meta name=\"_csrf\"");
		}
	}

	@Test
	void loggingInStillWorksAndTheSessionCarriesTheToken() {
		String name = this.accounts.user(Role.REVIEWER);
		HttpBrowser browser = new HttpBrowser(this.port);
		HttpResponse<String> login = browser.postForm("/login", "/login", "username", name, "password", ReviewFixture.PASSWORD);
		assertThat(login.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).doesNotContain("error"));
		HttpResponse<String> page = browser.get(this.fixture.saePath());
		assertThat(page.body()).contains(name).contains("<meta name=\"_csrf\"");
	}

	@Test
	void postsWithoutATokenAreStillRefused() {
		HttpBrowser browser = new HttpBrowser(this.port);
		for (String path : new String[] { "/playground", "/login", "/lists" }) {
			HttpResponse<String> response = browser.send(HttpRequest.newBuilder(browser.uri(path))
				.header("Content-Type", "application/x-www-form-urlencoded")
				.POST(HttpRequest.BodyPublishers.ofString("prompt=hi&username=a&password=b&name=x"))
				.build());
			assertThat(response.statusCode()).as(path).isEqualTo(403);
		}
	}

	/** Sessions Tomcat has created since it started (the app's one context). */
	private long sessionsCreated() {
		TomcatWebServer server = (TomcatWebServer) ((WebServerApplicationContext) this.context).getWebServer();
		long created = 0;
		for (Container child : server.getTomcat().getHost().findChildren()) {
			created += ((Context) child).getManager().getSessionCounter();
		}
		return created;
	}
}
