package dev.lumen.playground;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import dev.lumen.catalog.LoadedModels;
import dev.lumen.engine.generate.GenerationOptions;
import dev.lumen.engine.generate.GenerationResult;
import dev.lumen.engine.generate.Generator;
import dev.lumen.engine.model.LanguageModel;
import dev.lumen.engine.sae.Sae;
import dev.lumen.playground.FeatureIntervention.Mode;
import dev.lumen.testing.DatabaseTest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.ApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** {@code POST /api/steer} on the demo model and SAE registered in the catalog. */
@AutoConfigureMockMvc
class SteerApiTest extends DatabaseTest {

	static final String PROMPT = "Once upon a time, there was a little dog named Max. He liked to";

	@Autowired
	MockMvc mvc;

	@Autowired
	ApplicationContext context;

	@Autowired
	LoadedModels loaded;

	@Autowired
	GenerationSlots slots;

	final ObjectMapper json = new ObjectMapper();

	SteerFixture fixture;

	@BeforeEach
	void setUp() throws Exception {
		this.fixture = new SteerFixture(this.context);
	}

	@AfterEach
	void tearDown() {
		this.fixture.close();
	}

	String body(String features, int maxTokens) {
		return """
				{"prompt": "%s", "model": "%s", "features": [%s], "temperature": 0.9, "max_tokens": %d, "seed": 7, "top_p": 0.95}
				""".formatted(PROMPT, this.fixture.model.getName(), features, maxTokens);
	}

	MvcResult send(String body) throws Exception {
		return this.mvc.perform(post("/api/steer").with(csrf()).contentType(MediaType.APPLICATION_JSON).content(body)).andReturn();
	}

	@Test
	void returnsTheDefaultAndTheSteeredCompletionAsTheEngineGeneratesThem() throws Exception {
		MvcResult r = send(body("{\"sae\": \"res1\", \"index\": 17, \"mode\": \"clamp\", \"value\": 5, \"unit\": \"multiple\"}", 16));
		assertThat(r.getResponse().getStatus()).as(r.getResponse().getContentAsString()).isEqualTo(200);
		JsonNode answer = this.json.readTree(r.getResponse().getContentAsString());

		// independent: the engine called directly with the same seed, and the hook with 5 x max activation 4 = 20
		LanguageModel model = this.loaded.model(this.fixture.model.getSource()).get(); // leased for the test
		Sae sae = this.loaded.sae(this.fixture.sae.getSource()).get();
		int[] ids = model.tokenizer().encode(PROMPT, true);
		GenerationOptions options = GenerationOptions.sampling(16, 0.9f, 0.95f, 7);
		GenerationResult plain = new Generator(model).generate(ids, options, (id, t) -> {
		});
		GenerationResult steered = new Generator(model).generate(ids, options,
				List.of(new SteeringHook(sae, List.of(new FeatureIntervention(17, Mode.CLAMP, 20f)), SteeringPositions.ALL).spec()),
				(id, t) -> {
				});
		assertThat(tokens(answer.get("default").get("tokens"))).containsExactly(plain.tokens());
		assertThat(answer.get("default").get("text").asString()).isEqualTo(plain.text());
		assertThat(tokens(answer.get("steered").get("tokens"))).containsExactly(steered.tokens());
		assertThat(answer.get("steered").get("text").asString()).isEqualTo(steered.text());
		assertThat(steered.tokens()).isNotEqualTo(plain.tokens());
		JsonNode applied = answer.get("features").get(0);
		assertThat(applied.get("applied").floatValue()).isEqualTo(20f);
		assertThat(applied.get("max_activation").floatValue()).isEqualTo(SteerFixture.MAX);
		assertThat(answer.get("steered").get("token_texts")).hasSize(steered.tokens().length);
	}

	static int[] tokens(JsonNode array) {
		List<Integer> out = new ArrayList<>();
		array.forEach(n -> out.add(n.intValue()));
		return out.stream().mapToInt(Integer::intValue).toArray();
	}

	@Test
	void badRequestsGetA400NamingTheProblem() throws Exception {
		String clamp = "{\"sae\": \"res1\", \"index\": 17, \"mode\": \"clamp\", \"value\": 5}";
		expect400(body("{\"sae\": \"nope\", \"index\": 1, \"value\": 1}", 5), "unknown SAE 'nope'");
		expect400(body("{\"sae\": \"res1\", \"index\": 5000, \"value\": 1}", 5), "unknown feature 5000");
		expect400(body("{\"sae\": \"res1\", \"index\": 3, \"value\": 1, \"unit\": \"multiple\"}", 5), "no recorded max activation");
		expect400(body("{\"sae\": \"res1\", \"index\": 3, \"value\": 1, \"mode\": \"zap\"}", 5), "mode must be 'clamp' or 'add'");
		List<String> many = new ArrayList<>();
		for (int i = 0; i < 9; i++) {
			many.add("{\"sae\": \"res1\", \"index\": " + i + ", \"value\": 1, \"unit\": \"absolute\"}");
		}
		expect400(body(String.join(",", many), 5), "at most 8 may be steered");
		expect400(body(clamp, 100000), "max_tokens must be between 1 and 200");
		expect400(body(clamp + "," + clamp, 5), "given twice");
		expect400(body("", 5), "no features to steer");
		expect400(body(clamp, 5).replace(PROMPT, ""), "prompt is empty");
		expect400(body(clamp, 5).replace(PROMPT, "a".repeat(2001)), "at most 2000");
		expect400(body(clamp, 5).replace(this.fixture.model.getName(), "no-such-model"), "unknown model 'no-such-model'");
		expect400("{not json", "not valid steering JSON");
	}

	void expect400(String body, String message) throws Exception {
		MvcResult r = send(body);
		assertThat(r.getResponse().getStatus()).as(body).isEqualTo(400);
		assertThat(this.json.readTree(r.getResponse().getContentAsString()).get("error").asString()).contains(message);
	}

	@Test
	void withoutACsrfTokenTheRequestIsRefused() throws Exception {
		MvcResult r = this.mvc.perform(post("/api/steer").contentType(MediaType.APPLICATION_JSON)
			.content(body("{\"sae\": \"res1\", \"index\": 17, \"value\": 5}", 4))).andReturn();
		assertThat(r.getResponse().getStatus()).isEqualTo(403);
	}

	@Test
	void whenEverySlotAndQueuePlaceIsTakenTheAnswerIs429WithRetryAfter() throws Exception {
		try (FullSlots full = new FullSlots(this.slots)) {
			MvcResult r = send(body("{\"sae\": \"res1\", \"index\": 17, \"value\": 5}", 4));
			assertThat(r.getResponse().getStatus()).isEqualTo(429);
			assertThat(r.getResponse().getHeader("Retry-After")).isNotBlank();
			assertThat(this.json.readTree(r.getResponse().getContentAsString()).get("error").asString()).contains("busy");
		}
		// and once they are free, requests run again
		MvcResult ok = send(body("{\"sae\": \"res1\", \"index\": 17, \"value\": 5}", 2));
		assertThat(ok.getResponse().getStatus()).as(ok.getResponse().getContentAsString()).isEqualTo(200);
	}
}
