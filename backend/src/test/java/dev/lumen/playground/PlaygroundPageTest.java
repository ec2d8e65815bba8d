package dev.lumen.playground;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import dev.lumen.testing.DatabaseTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.ApplicationContext;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** The playground page: prefilled from a feature link, the plain form POST, and the SSE stream over real HTTP. */
@AutoConfigureMockMvc
class PlaygroundPageTest extends DatabaseTest {

	@Autowired
	MockMvc mvc;

	@Autowired
	ApplicationContext context;

	@Autowired
	SteeringService steering;

	@LocalServerPort
	int port;

	SteerFixture fixture;

	@BeforeEach
	void setUp() throws Exception {
		this.fixture = new SteerFixture(this.context);
	}

	@AfterEach
	void tearDown() {
		this.fixture.close();
	}

	String target() {
		return this.fixture.model.getName() + "/res1";
	}

	@Test
	void aFeaturePageLinkPreselectsTheSaeAndTheFeature() throws Exception {
		String html = this.mvc.perform(get("/playground").param("model", this.fixture.model.getName()).param("sae", "res1")
			.param("feature", "17")).andReturn().getResponse().getContentAsString();
		assertThat(html).containsPattern("<option value=\"" + Pattern.quote(target()) + "\"[^>]* selected=\"selected\">");
		assertThat(html).contains("name=\"featureIndex\" type=\"number\" min=\"0\" value=\"17\"");
	}

	@Test
	void thePlainFormPostShowsBothCompletionsEscaped() throws Exception {
		String prompt = "<b>Once</b> upon a time, Tom";
		MvcResult r = this.mvc.perform(post("/playground").with(csrf()).param("target", target()).param("prompt", prompt)
			.param("featureIndex", "17", "").param("featureMode", "clamp", "clamp").param("featureValue", "5", "")
			.param("featureUnit", "multiple", "multiple").param("maxTokens", "8").param("temperature", "0.9").param("topP", "0.95")
			.param("seed", "3").param("positions", "all")).andReturn();
		String html = r.getResponse().getContentAsString();
		assertThat(r.getResponse().getStatus()).as(html).isEqualTo(200);
		SteerResult expected = this.steering.steer(new SteerRequest(prompt, this.fixture.model.getName(),
				List.of(new SteerRequest.Feature("res1", 17, "clamp", 5f, "multiple")), 0.9f, 8, 3L, 0.95f, "all"));
		assertThat(html).contains(">" + escape(expected.defaultCompletion().text()) + "</span>");
		assertThat(steeredText(html)).isEqualTo(expected.steeredCompletion().text());
		assertThat(html).contains("&lt;b&gt;Once&lt;/b&gt;").doesNotContain("<b>Once</b>");
		// hovering a steered token shows feature 17's activation there before the clamp to 5 x 4 = 20
		List<List<Float>> activations = expected.steeredCompletion().featureActivations();
		assertThat(html).contains(String.format(java.util.Locale.ROOT,
				"title=\"res1 #17: %.3f before steering (clamped to 20.000)\"", activations.get(0).get(0)));
	}

	/** The steered output's generated text: its token spans' contents, unescaped. */
	static String steeredText(String html) {
		return outputText(html, "output-steered");
	}

	/** The generated text of the output with this id: its token spans' contents, unescaped. */
	static String outputText(String html, String id) {
		Matcher m = Pattern.compile("id=\"" + id + "\".*?<span\\s+class=\"generated\">(.*?)</span></pre>", Pattern.DOTALL)
			.matcher(html);
		assertThat(m.find()).as(id + " in the page").isTrue();
		return org.springframework.web.util.HtmlUtils.htmlUnescape(m.group(1).replaceAll("<[^>]+>", ""));
	}

	static String escape(String s) {
		return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#39;");
	}

	@Test
	void aBadFormIsShownAgainWithTheProblem() throws Exception {
		MvcResult r = this.mvc.perform(post("/playground").with(csrf()).param("target", target()).param("prompt", "Hi")
			.param("featureIndex", "99999").param("featureValue", "2").param("featureUnit", "absolute")).andReturn();
		assertThat(r.getResponse().getStatus()).isEqualTo(400);
		assertThat(r.getResponse().getContentAsString()).contains("unknown feature 99999");
	}

	@Test
	void theStreamSendsEveryTokenOfBothCompletionsThenTheResult() throws Exception {
		HttpClient http = HttpClient.newHttpClient();
		String base = "http://localhost:" + this.port;
		HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(base + "/playground")).build(),
				HttpResponse.BodyHandlers.ofString());
		String cookie = page.headers().firstValue("set-cookie").orElseThrow().split(";")[0];
		String csrf = meta(page.body(), "_csrf");
		String header = meta(page.body(), "_csrf_header");
		String form = "target=" + target() + "&prompt=Once+upon+a+time&featureIndex=17&featureMode=clamp&featureValue=5"
				+ "&featureUnit=multiple&maxTokens=10&temperature=0.9&topP=0.95&seed=11&positions=all";
		HttpResponse<java.util.stream.Stream<String>> stream = http.send(HttpRequest.newBuilder(URI.create(base + "/playground/stream"))
			.header("Cookie", cookie).header(header, csrf).header("Content-Type", "application/x-www-form-urlencoded")
			.header("Accept", "text/event-stream").POST(HttpRequest.BodyPublishers.ofString(form, StandardCharsets.UTF_8)).build(),
				HttpResponse.BodyHandlers.ofLines());
		assertThat(stream.statusCode()).isEqualTo(200);
		ObjectMapper json = new ObjectMapper();
		StringBuilder plain = new StringBuilder();
		StringBuilder steered = new StringBuilder();
		List<String> events = new ArrayList<>();
		JsonNode done = null;
		String event = null;
		for (String line : (Iterable<String>) stream.body()::iterator) {
			if (line.startsWith("event:")) {
				event = line.substring(6).trim();
				events.add(event);
			}
			else if (line.startsWith("data:")) {
				JsonNode data = json.readTree(line.substring(5));
				if ("token".equals(event)) {
					(data.get("side").asString().equals("steered") ? steered : plain).append(data.get("text").asString());
				}
				else if ("done".equals(event)) {
					done = data;
				}
			}
		}
		assertThat(events).filteredOn("token"::equals).hasSize(20);
		assertThat(events.get(events.size() - 1)).isEqualTo("done");
		assertThat(done).isNotNull();
		assertThat(plain.toString()).isEqualTo(done.get("default").get("text").asString());
		assertThat(steered.toString()).isEqualTo(done.get("steered").get("text").asString());
		assertThat(steered.toString()).isNotEqualTo(plain.toString());
	}

	@Test
	void aClientThatDisconnectsCancelsItsGeneration() throws Exception {
		try (CancellationLog log = new CancellationLog()) {
			disconnectAfterTheFirstToken(log);
		}
	}

	void disconnectAfterTheFirstToken(CancellationLog log) throws Exception {
		HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
		String base = "http://localhost:" + this.port;
		HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(base + "/playground")).build(),
				HttpResponse.BodyHandlers.ofString());
		String cookie = page.headers().firstValue("set-cookie").orElseThrow().split(";")[0];
		int maxTokens = this.steering.maxTokens();
		String form = "target=" + target() + "&prompt=Once+upon+a+time&featureIndex=17&featureMode=clamp&featureValue=5"
				+ "&featureUnit=multiple&maxTokens=" + maxTokens + "&temperature=0.9&topP=0.95&seed=11&positions=all";
		HttpResponse<java.io.InputStream> stream = http.send(HttpRequest.newBuilder(URI.create(base + "/playground/stream"))
			.header("Cookie", cookie).header(meta(page.body(), "_csrf_header"), meta(page.body(), "_csrf"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(form, StandardCharsets.UTF_8)).build(), HttpResponse.BodyHandlers.ofInputStream());
		try (java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = in.readLine()) != null && !line.startsWith("event:token")) {
				// wait for the first token
			}
			assertThat(line).isNotNull();
		} // closing the body closes the connection: the client is gone
		log.awaitCancellationBefore(maxTokens);
	}

	static String meta(String html, String name) {
		Matcher m = Pattern.compile("<meta name=\"" + name + "\" content=\"([^\"]+)\"").matcher(html);
		assertThat(m.find()).as("meta " + name).isTrue();
		return m.group(1);
	}
}
