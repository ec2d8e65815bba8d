package dev.lumen.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.lumen.testing.SeededDatabaseTest;
import dev.lumen.testing.FeatureFixture;
import dev.lumen.testing.PageClient;
import dev.lumen.testing.TestCatalog;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The JSON API against a seeded database: the same numbers the pages show, raw strings, problem details. */
class ApiTest extends SeededDatabaseTest {

	static final JsonMapper JSON = JsonMapper.builder().build();

	String base;

	@BeforeEach
	void seed() {
		this.catalog = new TestCatalog(this.models, this.registrar);
		this.fixture = new FeatureFixture(this.catalog, this.writer, this.jdbc);
		this.client = new PageClient(this.port);
		this.base = "/api/" + this.fixture.model.getName() + "/res-1-64";
	}

	@Test
	void showFeatureReturnsStatsLabelHistogramLogitsAndCooccurrence() {
		JsonNode f = json(this.base + "/3", 200);
		assertThat(f.get("index").asInt()).isEqualTo(3);
		assertThat(f.get("density").asDouble()).isCloseTo(FeatureFixture.DENSITY, within(1e-7));
		assertThat(f.get("maxActivation").asDouble()).isEqualTo(3.25);
		assertThat(f.get("label").get("label").asString()).isEqualTo(FeatureFixture.LABEL);
		assertThat(f.get("label").get("heuristic").asBoolean()).isFalse();
		assertThat(f.get("label").get("scores").get("detection_f1").asDouble()).isEqualTo(0.75);
		assertThat(f.get("activationHistogram").get("counts").toString()).isEqualTo("[40,25,5]");
		assertThat(f.get("logitEffects").get("top").get(0).get("token").asString()).isEqualTo("<script>alert(1)</script>");
		assertThat(f.get("logitEffects").get("bottom").get(0).get("value").asDouble()).isEqualTo(-0.625);
		assertThat(f.get("cooccurring").get(0).get("index").asInt()).isEqualTo(7);
		assertThat(f.get("cooccurring").get(0).get("label").asString()).isEqualTo(FeatureFixture.OTHER_LABEL);
	}

	@Test
	void listExamplesReturnsAlignedRawTokensAndActivations() {
		JsonNode examples = json(this.base + "/3/examples", 200);
		assertThat(examples.size()).isEqualTo(5);
		JsonNode top0 = examples.get(0);
		assertThat(top0.get("kind").asString()).isEqualTo("top");
		assertThat(top0.get("tokens").size()).isEqualTo(FeatureFixture.TOP0_TOKENS.length);
		assertThat(top0.get("activations").size()).isEqualTo(FeatureFixture.TOP0_ACTS.length);
		assertThat(top0.get("tokens").get(4).asString()).isEqualTo("<script>alert(1)</script>");
		assertThat(top0.get("tokens").get(6).asString()).isEqualTo("\n");
		assertThat(top0.get("activations").get(4).asDouble()).isEqualTo(3.25);
		assertThat(top0.get("maxPosition").asInt()).isEqualTo(4);
	}

	@Test
	void listNeighboursReturnsSameAndSiblingSaes() {
		JsonNode n = json(this.base + "/3/neighbours", 200);
		assertThat(n.get("sameSae").size()).isEqualTo(10);
		assertThat(n.get("sameSae").get(0).get("index").asInt()).isEqualTo(FeatureFixture.TWIN);
		assertThat(n.get("otherSaes").get(0).get("sae").asString()).isEqualTo("res-1-128");
		assertThat(n.get("otherSaes").get(0).get("features").get(0).get("index").asInt()).isEqualTo(FeatureFixture.WIDE_TWIN);
	}

	@Test
	void listFeaturesAndModelsAndSearch() {
		JsonNode page = json(this.base + "/features?sort=max&dir=desc&size=2", 200);
		assertThat(page.get("total").asLong()).isEqualTo(64);
		assertThat(page.get("features").size()).isEqualTo(2);
		assertThat(page.get("features").get(0).get("index").asInt()).isEqualTo(3);
		JsonNode models = json("/api/models", 200);
		JsonNode ours = null;
		for (JsonNode m : models) {
			if (m.get("name").asString().equals(this.fixture.model.getName())) {
				ours = m;
			}
		}
		assertThat(ours).isNotNull();
		assertThat(ours.get("saes").get(0).get("evalStats").get("l0").asDouble()).isEqualTo(12.5);
		JsonNode search = json("/api/search?q=feline&sae=" + this.fixture.model.getName() + "/res-1-64", 200);
		assertThat(search.get("matches").get(0).get("featureIndex").asInt()).isEqualTo(3);
		JsonNode byIndex = json("/api/search?q=5&sae=" + this.fixture.model.getName() + "/res-1-64", 200);
		assertThat(byIndex.get("indexHits").get(0).get("url").asString()).isEqualTo(this.fixture.featurePath(5));
	}

	@Test
	void unknownThingsAreProblemDetailsWithSuggestions() {
		JsonNode problem = json(this.base + "/64", 404);
		assertThat(problem.get("title").asString()).isEqualTo("No such feature");
		assertThat(problem.get("detail").asString()).contains("0 to 63");
		assertThat(problem.get("suggestions").get(0).get("href").asString()).isEqualTo("/" + this.fixture.model.getName() + "/res-1-64");
		assertThat(json("/api/nope/res-1-64/3", 404).get("title").asString()).isEqualTo("Unknown model");
		assertThat(json(this.base + "/features?page=x", 400).get("detail").asString()).contains("'page'");
	}

	@Test
	void openApiDescribesTheApiAndSwaggerUiIsServed() {
		JsonNode spec = json("/v3/api-docs", 200);
		assertThat(spec.get("paths").has("/api/{model}/{sae}/{index}/examples")).isTrue();
		assertThat(spec.get("paths").has("/api/search")).isTrue();
		HttpResponse<String> ui = this.client.get("/swagger-ui/index.html");
		assertThat(ui.statusCode()).isEqualTo(200);
		assertThat(ui.body()).contains("swagger-ui");
	}

	private JsonNode json(String path, int status) {
		HttpResponse<String> response = this.client.get(path);
		assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(status);
		return JSON.readTree(response.body());
	}
}
