package dev.lumen.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import dev.lumen.catalog.CatalogModel;
import dev.lumen.catalog.CatalogModelRepository;
import dev.lumen.catalog.CatalogSae;
import dev.lumen.catalog.CatalogSaeRepository;
import dev.lumen.catalog.SaeRegistrar;
import dev.lumen.engine.model.LanguageModel;
import dev.lumen.engine.sae.Sae;
import dev.lumen.feature.FeatureRepository;
import dev.lumen.playground.GenerationSlots;
import dev.lumen.catalog.LoadedModels;
import dev.lumen.playground.PlaygroundBusyException;
import dev.lumen.testing.DatabaseTest;
import dev.lumen.testing.RepoFiles;
import java.util.UUID;
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

/** {@code POST /api/analyze} on the demo model and SAE registered in the catalog. */
@AutoConfigureMockMvc
class AnalyzeApiTest extends DatabaseTest {

	static final String PROMPT = "Once upon a time, there was a little girl named Lily. She loved to";

	@Autowired
	MockMvc mvc;

	@Autowired
	ApplicationContext context;

	@Autowired
	LoadedModels loaded;

	final ObjectMapper json = new ObjectMapper();

	CatalogModel model;

	@BeforeEach
	void register() {
		this.model = this.context.getBean(CatalogModelRepository.class).save(new CatalogModel(
				"an-" + UUID.randomUUID().toString().substring(0, 8), "analysis test", RepoFiles.DEMO_MODEL.toString(),
				"LlamaForCausalLM", 128, 8, 512));
		this.context.getBean(SaeRegistrar.class).register(new CatalogSae(this.model, "res1", "blocks.1.hook_resid_post", 1,
				128, 1024, "topk", RepoFiles.root().resolve("demo/sae/tinystories-1m-blocks.1.hook_resid_post-1024").toString()));
	}

	@AfterEach
	void remove() {
		this.context.getBean(CatalogModelRepository.class).delete(this.model);
	}

	MvcResult send(String body) throws Exception {
		return this.mvc.perform(post("/api/analyze").with(csrf()).contentType(MediaType.APPLICATION_JSON).content(body))
			.andReturn();
	}

	String body(String extra) {
		return """
				{"model": "%s", "sae": "res1", "prompt": "%s"%s}
				""".formatted(this.model.getName(), PROMPT, extra);
	}

	@Test
	void answersTheTopPredictionAgainstTheSecondWithAttributionsAndVerifiedAblations() throws Exception {
		MvcResult r = send(body(", \"top\": 5, \"verify\": 8"));
		assertThat(r.getResponse().getStatus()).as(r.getResponse().getContentAsString()).isEqualTo(200);
		JsonNode answer = this.json.readTree(r.getResponse().getContentAsString());
		JsonNode predictions = answer.get("predictions");
		assertThat(answer.get("target").get("id").asInt()).isEqualTo(predictions.get(0).get("id").asInt());
		assertThat(answer.get("contrast").get("id").asInt()).isEqualTo(predictions.get(1).get("id").asInt());

		// the same numbers as the core computes on the engine directly
		LanguageModel lm = this.loaded.model(RepoFiles.DEMO_MODEL.toString()).get(); // leased for the test
		Sae sae = this.loaded.sae(RepoFiles.root().resolve("demo/sae/tinystories-1m-blocks.1.hook_resid_post-1024").toString()).get();
		int[] tokens = lm.tokenizer().encode(PROMPT, true);
		Attribution direct = FeatureAttributor.attribute(lm, sae, tokens, answer.get("target").get("id").asInt(),
				answer.get("contrast").get("id").asInt());
		assertThat(answer.get("tokens").size()).isEqualTo(tokens.length);
		assertThat((float) answer.get("logit_difference").asDouble()).isCloseTo(direct.logitDifference(), within(1e-4f));
		JsonNode first = answer.get("summed").get(0);
		assertThat((float) first.get("attribution").asDouble())
			.isCloseTo(direct.summedAttribution(first.get("index").asInt()), within(1e-4f));
		assertThat(first.get("attribution").asDouble()).isPositive();
		assertThat(first.get("url").asText()).isEqualTo("/" + this.model.getName() + "/res1/" + first.get("index").asInt());
		assertThat(answer.get("positions").size()).isEqualTo(tokens.length - 1); // BOS has no attribution

		JsonNode verification = answer.get("verification");
		assertThat(verification.get("features").asInt()).isEqualTo(8);
		assertThat(verification.get("correlation").asDouble()).isGreaterThan(0.8);
		assertThat(verification.get("sign_agreement").asInt()).isGreaterThanOrEqualTo(7);
	}

	@Test
	void acceptsATargetAndContrastGivenAsTokenIds() throws Exception {
		MvcResult r = send(body(", \"target\": \"#500\", \"contrast\": \"#501\", \"verify\": 0"));
		assertThat(r.getResponse().getStatus()).as(r.getResponse().getContentAsString()).isEqualTo(200);
		JsonNode answer = this.json.readTree(r.getResponse().getContentAsString());
		assertThat(answer.get("target").get("id").asInt()).isEqualTo(500);
		assertThat(answer.get("contrast").get("id").asInt()).isEqualTo(501);
		assertThat((float) answer.get("logit_difference").asDouble()).isCloseTo(
				(float) (answer.get("target").get("logit").asDouble() - answer.get("contrast").get("logit").asDouble()),
				within(1e-4f));
		assertThat(answer.get("verification").isNull()).isTrue();
	}

	@Test
	void refusesBadRequestsWithMessagesNamingTheProblem() throws Exception {
		assertError(send("""
				{"model": "no-such-model", "sae": "res1", "prompt": "Hi"}"""), "unknown model 'no-such-model'");
		assertError(send(body(", \"verify\": 1000")), "verify (the number of ablations) must be between 0 and 64");
		assertError(send(body(", \"target\": \"a whole sentence of words\"")), "give one token");
		assertError(send(body(", \"target\": \"#999999\"")), "outside the vocabulary");
		assertError(send("""
				{"model": "%s", "sae": "res1", "prompt": "%s"}""".formatted(this.model.getName(), "word ".repeat(300))),
				"the prompt is too long");
		assertError(send("not json"), "not valid analysis JSON");
	}

	@Test
	void anAnalysisWaitsForAGenerationSlotAndIsRefusedWhenNoneFrees() {
		GenerationSlots slots = new GenerationSlots(new dev.lumen.system.ModelWork(1, 0, 0, 1000, 4));
		AnalysisService service = new AnalysisService(this.context.getBean(CatalogModelRepository.class),
				this.context.getBean(CatalogSaeRepository.class), this.context.getBean(FeatureRepository.class), this.loaded,
				slots, 128, 64, 50);
		AnalyzeRequest request = new AnalyzeRequest(this.model.getName(), "res1", PROMPT, null, null, 3, 0);
		try (GenerationSlots.Slot held = slots.enter()) {
			assertThatThrownBy(() -> service.analyze(request)).isInstanceOf(PlaygroundBusyException.class)
				.hasMessageContaining("busy");
		}
		assertThat(service.analyze(request).summed()).isNotEmpty(); // the slot was released
	}

	void assertError(MvcResult r, String message) throws Exception {
		assertThat(r.getResponse().getStatus()).isEqualTo(400);
		assertThat(this.json.readTree(r.getResponse().getContentAsString()).get("error").asText()).contains(message);
	}
}
