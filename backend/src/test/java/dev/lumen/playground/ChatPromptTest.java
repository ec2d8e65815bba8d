package dev.lumen.playground;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import dev.lumen.catalog.LoadedModels;
import dev.lumen.engine.generate.GenerationOptions;
import dev.lumen.engine.generate.GenerationResult;
import dev.lumen.engine.generate.Generator;
import dev.lumen.engine.model.LanguageModel;
import dev.lumen.engine.sae.Sae;
import dev.lumen.playground.FeatureIntervention.Mode;
import dev.lumen.testing.DatabaseTest;
import dev.lumen.testing.RepoFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.ApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.web.util.HtmlUtils;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Conversations for a model with a chat template: the demo model's HF directory plus a real ChatML
 * tokenizer_config.json (InternVL3's), against Python Jinja2's rendering of the same conversation.
 */
@AutoConfigureMockMvc
class ChatPromptTest extends DatabaseTest {

	static final String CONVERSATION = """
			[{"role": "system", "content": "You are terse."}, {"role": "user", "content": "Hi there!"},
			 {"role": "assistant", "content": "Hello."}, {"role": "user", "content": "Tell me a story."}]""";

	@TempDir
	static Path chatModelDir;

	@Autowired
	MockMvc mvc;

	@Autowired
	ApplicationContext context;

	@Autowired
	LoadedModels loaded;

	@Autowired
	SteeringService steering;

	@Autowired
	PlaygroundRuns runs;

	final ObjectMapper json = new ObjectMapper();

	SteerFixture chat;

	SteerFixture plain;

	@BeforeAll
	static void chatModel() throws IOException {
		copyChatModel(chatModelDir);
	}

	/** Writes the demo model's HF files plus a tokenizer_config.json with a real chat template into {@code dir}. */
	static void copyChatModel(Path dir) throws IOException {
		Path hf = RepoFiles.root().resolve("demo/models/tinystories-1m/hf");
		for (String file : List.of("config.json", "model.safetensors", "tokenizer.model")) {
			Files.copy(hf.resolve(file), dir.resolve(file));
		}
		try (InputStream config = resource("tokenizer_config.json")) {
			Files.copy(config, dir.resolve("tokenizer_config.json"));
		}
	}

	static InputStream resource(String name) {
		return ChatPromptTest.class.getResourceAsStream("/playground/chat-model/" + name);
	}

	/** Python Jinja2's rendering of {@link #CONVERSATION} with add_generation_prompt (the independent reference). */
	static String expectedRendering() throws IOException {
		try (InputStream in = resource("expected-python-jinja2.txt")) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
	}

	@BeforeEach
	void setUp() throws Exception {
		this.chat = new SteerFixture(this.context, chatModelDir);
		this.plain = new SteerFixture(this.context);
	}

	@AfterEach
	void tearDown() {
		this.chat.close();
		this.plain.close();
	}

	String body(SteerFixture fixture, String promptOrMessages) {
		return """
				{%s, "model": "%s", "features": [{"sae": "res1", "index": 17, "value": 5}],
				 "temperature": 0.9, "max_tokens": 12, "seed": 7, "top_p": 0.95}
				""".formatted(promptOrMessages, fixture.model.getName());
	}

	MvcResult send(String body) throws Exception {
		return this.mvc.perform(post("/api/steer").with(csrf()).contentType(MediaType.APPLICATION_JSON).content(body)).andReturn();
	}

	@Test
	void aConversationIsRenderedWithTheChatTemplateAndItsTokensAreWhatTheGeneratorIsFed() throws Exception {
		MvcResult r = send(body(this.chat, "\"messages\": " + CONVERSATION));
		assertThat(r.getResponse().getStatus()).as(r.getResponse().getContentAsString()).isEqualTo(200);
		JsonNode answer = this.json.readTree(r.getResponse().getContentAsString());
		String expected = expectedRendering();
		assertThat(answer.get("prompt").asString()).isEqualTo(expected);

		// the plan's ids are the rendering encoded without an added BOS (the template owns special tokens)
		LanguageModel model = this.loaded.model(this.chat.model.getSource()).get(); // leased for the test
		int[] ids = model.tokenizer().encode(expected, false);
		SteeringPlan plan = this.steering.plan(this.json.readValue(body(this.chat, "\"messages\": " + CONVERSATION),
				SteerRequest.class));
		assertThat(plan.promptIds()).containsExactly(ids);

		// and both completions are the engine's continuations of exactly those ids
		GenerationOptions options = GenerationOptions.sampling(12, 0.9f, 0.95f, 7);
		GenerationResult unsteered = new Generator(model).generate(ids, options, (id, t) -> {
		});
		Sae sae = this.loaded.sae(this.chat.sae.getSource()).get();
		GenerationResult steered = new Generator(model).generate(ids, options,
				List.of(new SteeringHook(sae, List.of(new FeatureIntervention(17, Mode.CLAMP, 20f)), SteeringPositions.ALL).spec()),
				(id, t) -> {
				});
		assertThat(SteerApiTest.tokens(answer.get("default").get("tokens"))).containsExactly(unsteered.tokens());
		assertThat(SteerApiTest.tokens(answer.get("steered").get("tokens"))).containsExactly(steered.tokens());
		// a plain prompt of the same text would start with BOS: the conversation's ids do not
		assertThat(ids[0]).isNotEqualTo(model.tokenizer().bosId());
	}

	@Test
	void messagesForAModelWithoutAChatTemplateAreA400() throws Exception {
		expect400(body(this.plain, "\"messages\": " + CONVERSATION), "has no chat template");
		expect400(body(this.chat, "\"prompt\": \"Hi\", \"messages\": " + CONVERSATION), "not both");
		expect400(body(this.chat, "\"messages\": [{\"role\": \"wizard\", \"content\": \"Hi\"}]"),
				"valid roles: system, user, assistant");
		expect400(body(this.chat, "\"messages\": []"), "messages is empty");
		expect400(body(this.chat, "\"messages\": [{\"role\": \"user\", \"content\": \"" + "a".repeat(2001) + "\"}]"),
				"at most 2000");
	}

	void expect400(String body, String message) throws Exception {
		MvcResult r = send(body);
		assertThat(r.getResponse().getStatus()).as(body).isEqualTo(400);
		assertThat(this.json.readTree(r.getResponse().getContentAsString()).get("error").asString()).contains(message);
	}

	@Test
	void theFormShowsTheConversationEditorOnlyForTheChatTemplateModel() throws Exception {
		String chatPage = page(this.chat);
		assertThat(chatPage).containsPattern("<fieldset id=\"chat-editor\" class=\"chat\">")
			.containsPattern("<label id=\"prompt-editor\" hidden=\"hidden\">");
		String plainPage = page(this.plain);
		assertThat(plainPage).containsPattern("<fieldset id=\"chat-editor\" class=\"chat\" hidden=\"hidden\">")
			.containsPattern("<label id=\"prompt-editor\">");
		// each option tells playground.js which editor its model needs
		assertThat(chatPage).contains("value=\"" + this.chat.model.getName() + "/res1\" data-chat=\"true\"")
			.contains("value=\"" + this.plain.model.getName() + "/res1\" data-chat=\"false\"");
	}

	String page(SteerFixture fixture) throws Exception {
		return this.mvc.perform(get("/playground").param("model", fixture.model.getName()).param("sae", "res1"))
			.andReturn()
			.getResponse()
			.getContentAsString();
	}

	@Test
	void theFormSendsTheConversationAndShowsTheRenderedPrompt() throws Exception {
		MvcResult r = this.mvc.perform(conversationForm(post("/playground"))).andReturn();
		String html = r.getResponse().getContentAsString();
		assertThat(r.getResponse().getStatus()).as(html).isEqualTo(200);
		SteerResult expected = this.steering.steer(conversationRequest());
		// a turn with commas stays one turn; the rendered prompt is shown (escaped) before each output
		assertThat(expected.prompt()).contains("<|im_start|>user\nOnce, twice, three times.<|im_end|>\n<|im_start|>assistant\n");
		assertThat(html).contains(">" + HtmlUtils.htmlEscape(expected.prompt()) + "</span>");
		assertThat(html).contains(">" + HtmlUtils.htmlEscape(expected.defaultCompletion().text()) + "</span>");
		assertThat(PlaygroundPageTest.steeredText(html)).isEqualTo(expected.steeredCompletion().text());
	}

	@Test
	void aSavedConversationRunShowsTheConversationOnItsPermalink() throws Exception {
		MvcResult saved = this.mvc.perform(conversationForm(post("/playground/runs"))).andReturn();
		assertThat(saved.getResponse().getStatus()).isEqualTo(302);
		String location = saved.getResponse().getRedirectedUrl();
		String html = this.mvc.perform(get(location)).andReturn().getResponse().getContentAsString();
		assertThat(html).contains("<span class=\"role\">system</span>")
			.contains("<span class=\"turn-content\">Be &lt;brief&gt;.</span>")
			.contains("<span class=\"turn-content\">Once, twice, three times.</span>");
		SteerResult expected = this.steering.steer(conversationRequest());
		assertThat(html).contains(">" + HtmlUtils.htmlEscape(expected.prompt()) + "</span>");
		// the rerun form carries the conversation
		assertThat(html).contains("name=\"turnContent\" value=\"Once, twice, three times.\"")
			.contains("name=\"system\" value=\"Be &lt;brief&gt;.\"");
		this.runs.delete(location.substring(location.lastIndexOf('/') + 1));
	}

	org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder conversationForm(
			org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder request) {
		return request.with(csrf()).param("target", this.chat.model.getName() + "/res1").param("prompt", "ignored")
			.param("system", "Be <brief>.").param("turnRole", "user").param("turnContent", "Once, twice, three times.")
			.param("featureIndex", "17").param("featureMode", "clamp").param("featureValue", "5").param("featureUnit", "multiple")
			.param("maxTokens", "8").param("temperature", "0.9").param("topP", "0.95").param("seed", "3").param("positions", "all");
	}

	SteerRequest conversationRequest() {
		return new SteerRequest(null, this.chat.model.getName(), List.of(new SteerRequest.Feature("res1", 17, "clamp", 5f,
				"multiple")), 0.9f, 8, 3L, 0.95f, "all", List.of(new SteerRequest.Message("system", "Be <brief>."),
						new SteerRequest.Message("user", "Once, twice, three times.")));
	}

	@Test
	void addTurnWithoutJavaScriptAddsAnAssistantTurnAfterAUserTurn() throws Exception {
		String html = this.mvc.perform(post("/playground").with(csrf()).param("target", this.chat.model.getName() + "/res1")
			.param("turnRole", "user").param("turnContent", "Hi, you.").param("addTurn", "1"))
			.andReturn()
			.getResponse()
			.getContentAsString();
		Matcher turns = Pattern.compile("<option value=\"(user|assistant)\" selected=\"selected\">").matcher(html);
		List<String> roles = turns.results().map(m -> m.group(1)).toList();
		assertThat(roles).containsExactly("user", "assistant");
		assertThat(html).contains(">Hi, you.</textarea>");
	}
}
