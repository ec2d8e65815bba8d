package dev.lumen.playground;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.testing.DatabaseTest;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** {@code POST /api/steer/stream} read over real HTTP, as a script would: session cookie + CSRF header, JSON in. */
class SteerStreamApiTest extends DatabaseTest {

	/** One server-sent event: its name and JSON data. */
	record Event(String name, JsonNode data) {
	}

	@LocalServerPort
	int port;

	@Autowired
	ApplicationContext context;

	@Autowired
	GenerationSlots slots;

	@Autowired
	SteeringService steering;

	final ObjectMapper json = new ObjectMapper();

	final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	SteerFixture fixture;

	String cookie;

	String csrfHeader;

	String csrf;

	@BeforeEach
	void setUp() throws Exception {
		this.fixture = new SteerFixture(this.context);
		HttpResponse<String> page = this.http.send(HttpRequest.newBuilder(uri("/playground")).build(),
				HttpResponse.BodyHandlers.ofString());
		this.cookie = page.headers().firstValue("set-cookie").orElseThrow().split(";")[0];
		this.csrf = PlaygroundPageTest.meta(page.body(), "_csrf");
		this.csrfHeader = PlaygroundPageTest.meta(page.body(), "_csrf_header");
	}

	@AfterEach
	void tearDown() {
		this.fixture.close();
	}

	URI uri(String path) {
		return URI.create("http://localhost:" + this.port + path);
	}

	String body(String extra, int maxTokens) {
		return """
				{"prompt": "Once upon a time, there was a dragon", "model": "%s",
				 "features": [{"sae": "res1", "index": 17, "mode": "clamp", "value": 5, "unit": "multiple"}],
				 "temperature": 0.9, "max_tokens": %d, "seed": 11, "top_p": 0.95%s}
				""".formatted(this.fixture.model.getName(), maxTokens, extra);
	}

	HttpRequest.Builder post(String path, String body) {
		return HttpRequest.newBuilder(uri(path)).header("Cookie", this.cookie).header(this.csrfHeader, this.csrf)
			.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
	}

	List<Event> events(HttpResponse<java.util.stream.Stream<String>> response) {
		List<Event> events = new ArrayList<>();
		String name = null;
		for (String line : (Iterable<String>) response.body()::iterator) {
			if (line.startsWith("event:")) {
				name = line.substring(6).trim();
			}
			else if (line.startsWith("data:")) {
				events.add(new Event(name, this.json.readTree(line.substring(5))));
			}
		}
		return events;
	}

	@Test
	void theStreamedTokensConcatenateToTheNonStreamingCompletionsOfTheSameSeed() throws Exception {
		HttpResponse<java.util.stream.Stream<String>> stream = this.http.send(
				post("/api/steer/stream", body("", 12)).header("Accept", "text/event-stream").build(),
				HttpResponse.BodyHandlers.ofLines());
		assertThat(stream.statusCode()).isEqualTo(200);
		assertThat(stream.headers().firstValue("content-type").orElseThrow()).startsWith("text/event-stream");
		List<Event> events = events(stream);

		HttpResponse<String> oneShot = this.http.send(post("/api/steer", body("", 12)).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(oneShot.statusCode()).as(oneShot.body()).isEqualTo(200);
		JsonNode expected = this.json.readTree(oneShot.body());

		assertThat(events.get(0).name()).isEqualTo("start");
		assertThat(events.get(0).data().get("prompt").asString()).isEqualTo("Once upon a time, there was a dragon");
		assertThat(events.get(events.size() - 1).name()).isEqualTo("done");
		List<Event> tokens = events.stream().filter(e -> e.name().equals("token")).toList();
		// the two completions advance in turn: default, steered, default, ... until one of them stops
		List<String> sides = tokens.stream().map(e -> e.data().get("side").asString()).toList();
		int alternating = 2 * Math.min(expected.get("default").get("tokens").size(), expected.get("steered").get("tokens").size());
		for (int i = 0; i < alternating; i++) {
			assertThat(sides.get(i)).as("token event %d", i).isEqualTo(i % 2 == 0 ? "default" : "steered");
		}
		for (String side : List.of("default", "steered")) {
			StringBuilder text = new StringBuilder();
			List<Integer> ids = new ArrayList<>();
			tokens.stream().filter(e -> e.data().get("side").asString().equals(side)).forEach(e -> {
				text.append(e.data().get("text").asString());
				ids.add(e.data().get("token").intValue());
			});
			assertThat(text.toString()).as(side).isEqualTo(expected.get(side).get("text").asString());
			assertThat(ids.stream().mapToInt(Integer::intValue).toArray()).as(side)
				.containsExactly(SteerApiTest.tokens(expected.get(side).get("tokens")));
			JsonNode done = events.get(events.size() - 1).data().get(side);
			assertThat(done.get("text").asString()).isEqualTo(text.toString());
			assertThat(done.get("stop_reason").asString()).isEqualTo(expected.get(side).get("stop_reason").asString());
		}
		assertThat(expected.get("steered").get("text").asString()).isNotEqualTo(expected.get("default").get("text").asString());
	}

	@Test
	void badRequestsAreAJson400BeforeAnyStream() throws Exception {
		String conversation = body(", \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]", 4)
			.replace("\"prompt\": \"Once upon a time, there was a dragon\", ", "");
		HttpResponse<String> r = this.http.send(post("/api/steer/stream", conversation).header("Accept", "text/event-stream")
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(r.statusCode()).isEqualTo(400);
		assertThat(r.headers().firstValue("content-type").orElseThrow()).startsWith("application/json");
		assertThat(this.json.readTree(r.body()).get("error").asString()).contains("has no chat template");

		HttpResponse<String> tooMany = this.http.send(post("/api/steer/stream", body("", 100000)).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(tooMany.statusCode()).isEqualTo(400);
		assertThat(this.json.readTree(tooMany.body()).get("error").asString()).contains("max_tokens must be between 1 and");
	}

	@Test
	void withoutACsrfTokenTheStreamIsRefused() throws Exception {
		HttpResponse<String> r = this.http.send(HttpRequest.newBuilder(uri("/api/steer/stream")).header("Cookie", this.cookie)
			.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body("", 4))).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(r.statusCode()).isEqualTo(403);
	}

	@Test
	void whenEverySlotAndQueuePlaceIsTakenTheStreamAnswers429WithRetryAfter() throws Exception {
		try (FullSlots full = new FullSlots(this.slots)) {
			HttpResponse<String> r = this.http.send(post("/api/steer/stream", body("", 4)).build(),
					HttpResponse.BodyHandlers.ofString());
			assertThat(r.statusCode()).isEqualTo(429);
			assertThat(r.headers().firstValue("retry-after")).isPresent();
			assertThat(this.json.readTree(r.body()).get("error").asString()).contains("busy");
		}
	}

	@Test
	void aClientThatDisconnectsCancelsTheGenerationAndFreesItsSlot() throws Exception {
		int maxTokens = this.steering.maxTokens();
		try (CancellationLog log = new CancellationLog()) {
			HttpResponse<java.io.InputStream> stream = this.http.send(post("/api/steer/stream", body("", maxTokens)).build(),
					HttpResponse.BodyHandlers.ofInputStream());
			try (BufferedReader in = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
				String line;
				while ((line = in.readLine()) != null && !line.startsWith("event:token")) {
					// wait for the first token
				}
				assertThat(line).isNotNull();
			} // closing the body closes the connection
			log.awaitCancellationBefore(maxTokens);
		}
		// the slot is free again: both slots can be taken at once without waiting in the queue
		try (GenerationSlots.Slot a = this.slots.enter(); GenerationSlots.Slot b = this.slots.enter()) {
			assertThat(a).isNotSameAs(b);
		}
	}
}
