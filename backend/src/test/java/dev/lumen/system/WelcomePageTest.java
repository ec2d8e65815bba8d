package dev.lumen.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.catalog.CatalogModel;
import dev.lumen.catalog.CatalogModelRepository;
import dev.lumen.catalog.SaeRegistrar;
import dev.lumen.testing.DatabaseTest;
import dev.lumen.testing.TestCatalog;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

class WelcomePageTest extends DatabaseTest {

	@LocalServerPort
	int port;

	@Autowired
	CatalogModelRepository models;

	@Autowired
	SaeRegistrar registrar;

	@Test
	void emptyDatabaseShowsThatNoSaesAreLoadedAndHowToLoadThem() throws Exception {
		this.models.deleteAll(); // the test database only
		HttpResponse<String> page = get("/");
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
		assertThat(page.body()).contains("No SAEs loaded yet").contains("./lumen demo")
			.containsPattern("<script src=\"/webjars/htmx.org/[0-9.]+/dist/htmx.min.js\"");
	}

	@Test
	void loadedModelsAndSaesAreListedWithTheirNamesEscaped() throws Exception {
		try (TestCatalog catalog = new TestCatalog(this.models, this.registrar)) {
			CatalogModel model = catalog.model("<script>alert('x')</script> Tiny", 128);
			catalog.sae(model, "res-post-1-1024", 128, 1024);
			String body = get("/").body();
			assertThat(body).contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; Tiny")
				.doesNotContain("<script>alert('x')</script>")
				.contains("res-post-1-1024")
				.contains("blocks.1.hook_resid_post")
				.contains("1024");
		}
	}

	@Test
	void htmxIsServedFromItsWebjar() throws Exception {
		HttpResponse<String> js = get("/webjars/htmx.org/dist/htmx.min.js");
		assertThat(js.statusCode()).isEqualTo(200);
		assertThat(js.body()).contains("htmx");
	}

	@Test
	void healthIsUpForAnonymousCallersWithoutNamingItsComponents() throws Exception {
		HttpResponse<String> health = get("/actuator/health");
		assertThat(health.statusCode()).isEqualTo(200);
		assertThat(health.body()).contains("\"status\":\"UP\"").doesNotContain("\"db\"").doesNotContain("components");
	}

	@Test
	void unknownPagesGetAFriendlyErrorPageWithoutStackTrace() throws Exception {
		HttpResponse<String> page = get("/no/such/page/here");
		assertThat(page.statusCode()).isEqualTo(404);
		assertThat(page.body()).contains("Back to the start page").doesNotContain("Exception").doesNotContain("at dev.");
	}

	private HttpResponse<String> get(String path) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
			.header("Accept", "text/html,application/json")
			.build();
		return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
	}
}
