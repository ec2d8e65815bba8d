package dev.lumen.playground;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import dev.lumen.testing.DatabaseTest;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/** Saving a run gives an immutable permalink with settings and both outputs; "rerun" regenerates them. */
@AutoConfigureMockMvc
class PlaygroundRunsTest extends DatabaseTest {

	static final String PROMPT = "Lily & <Tom> went to the park";

	@Autowired
	MockMvc mvc;

	@Autowired
	ApplicationContext context;

	@Autowired
	SteeringService steering;

	@Autowired
	PlaygroundRuns runs;

	@Autowired
	JdbcTemplate jdbc;

	SteerFixture fixture;

	String saved;

	@BeforeEach
	void setUp() throws Exception {
		this.fixture = new SteerFixture(this.context);
	}

	@AfterEach
	void tearDown() {
		if (this.saved != null) {
			this.runs.delete(this.saved);
		}
		this.fixture.close();
	}

	MockHttpServletRequestBuilder form(String path) {
		return post(path).with(csrf()).param("target", this.fixture.model.getName() + "/res1").param("prompt", PROMPT)
			.param("featureIndex", "17").param("featureMode", "clamp").param("featureValue", "6").param("featureUnit", "multiple")
			.param("maxTokens", "9").param("temperature", "0.7").param("topP", "0.9").param("seed", "21").param("positions", "all");
	}

	SteerResult expected() {
		return this.steering.steer(new SteerRequest(PROMPT, this.fixture.model.getName(),
				List.of(new SteerRequest.Feature("res1", 17, "clamp", 6f, "multiple")), 0.7f, 9, 21L, 0.9f, "all"));
	}

	@Test
	void savingRedirectsToAPermalinkShowingSettingsAndBothOutputs() throws Exception {
		MvcResult r = this.mvc.perform(form("/playground/runs")).andReturn();
		assertThat(r.getResponse().getStatus()).as(r.getResponse().getContentAsString()).isEqualTo(302);
		String location = r.getResponse().getRedirectedUrl();
		Matcher m = Pattern.compile("/playground/runs/([A-Za-z0-9_-]{22})$").matcher(location);
		assertThat(m.find()).as(location).isTrue();
		this.saved = m.group(1);

		String html = this.mvc.perform(get("/playground/runs/" + this.saved)).andReturn().getResponse().getContentAsString();
		SteerResult expected = expected();
		assertThat(PlaygroundPageTest.outputText(html, "output-default")).isEqualTo(expected.defaultCompletion().text());
		assertThat(PlaygroundPageTest.outputText(html, "output-steered")).isEqualTo(expected.steeredCompletion().text());
		assertThat(html).contains("Lily &amp; &lt;Tom&gt;").doesNotContain("<Tom>");
		assertThat(html).contains("res1 #17</a>").contains(": clamp 6.0 × max activation (applied 24.0)");
		assertThat(html).contains("seed 21");

		PlaygroundRuns.SavedRun run = this.runs.find(this.saved).orElseThrow();
		assertThat(run.result().steeredCompletion().tokens()).isEqualTo(expected.steeredCompletion().tokens());
		assertThat(run.request().prompt()).isEqualTo(PROMPT);
	}

	@Test
	void aSavedRunShowsEachFeaturesLabelAndLinkWhereTheTextsDivergeAndHoverActivations() throws Exception {
		this.fixture.label(17, "kittens <i>purring</i>");
		SteerRequest request = new SteerRequest(PROMPT, this.fixture.model.getName(),
				List.of(new SteerRequest.Feature("res1", 17, "clamp", 6f, "multiple")), 0.7f, 9, 21L, 0.9f, "all");
		SteerResult result = this.steering.steer(request);
		this.saved = this.runs.save(request, result, null);
		String html = this.mvc.perform(get("/playground/runs/" + this.saved)).andReturn().getResponse().getContentAsString();
		assertThat(html).contains("href=\"/" + this.fixture.model.getName() + "/res1/17\">res1 #17</a>")
			.contains("kittens &lt;i&gt;purring&lt;/i&gt;").doesNotContain("<i>purring");
		int diverged = TokenHover.firstDifference(result.defaultCompletion(), result.steeredCompletion());
		assertThat(diverged).as("a 6x clamp changes the text").isLessThan(result.steeredCompletion().tokens().size());
		assertThat(html).contains("The texts diverge at generated token " + (diverged + 1));
		// every steered token from the divergence on is underlined, none before; the default side likewise
		Matcher steered = Pattern.compile("<span class=\"token( diverged)?\" style=\"--a:([0-9.]+)\" title=\"res1 #17: ([-0-9.]+) before steering")
			.matcher(html);
		int t = 0;
		while (steered.find()) {
			assertThat(steered.group(1) != null).as("token %d diverged", t).isEqualTo(t >= diverged);
			List<Float> row = result.steeredCompletion().featureActivations().get(t);
			assertThat(steered.group(3)).isEqualTo(String.format(java.util.Locale.ROOT, "%.3f", row.get(0)));
			assertThat(Float.parseFloat(steered.group(2))).isEqualTo(
					Math.round(Math.max(0, Math.min(1, row.get(0) / SteerFixture.MAX)) * 100) / 100f);
			t++;
		}
		assertThat(t).as("all but the last token have activations").isEqualTo(result.steeredCompletion().tokens().size() - 1);
	}

	@Test
	void aSavedRunCannotBeChanged() {
		SteerRequest request = new SteerRequest(PROMPT, this.fixture.model.getName(),
				List.of(new SteerRequest.Feature("res1", 17, "clamp", 6f, "multiple")), 0.7f, 9, 21L, 0.9f, "all");
		this.saved = this.runs.save(request, this.steering.steer(request), null);
		assertThatThrownBy(() -> this.jdbc.update("UPDATE playground_run SET result = '{}'::jsonb WHERE id = ?", this.saved))
			.rootCause().hasMessageContaining("immutable");
		assertThat(this.runs.find(this.saved).orElseThrow().result().steeredCompletion().text()).isNotEmpty();
	}

	@Test
	void rerunningRegeneratesTheSameOutputsFromTheSavedSettings() throws Exception {
		SteerRequest request = new SteerRequest(PROMPT, this.fixture.model.getName(),
				List.of(new SteerRequest.Feature("res1", 17, "clamp", 6f, "multiple")), 0.7f, 9, 21L, 0.9f, "all");
		this.saved = this.runs.save(request, this.steering.steer(request), null);
		String page = this.mvc.perform(get("/playground/runs/" + this.saved)).andReturn().getResponse().getContentAsString();
		// submit the page's rerun form as a browser would
		Matcher form = Pattern.compile("<form id=\"rerun-form\" action=\"([^\"]+)\" method=\"post\">(.*?)</form>", Pattern.DOTALL)
			.matcher(page);
		assertThat(form.find()).isTrue();
		MockHttpServletRequestBuilder rerun = post(form.group(1)).with(csrf());
		Matcher input = Pattern.compile("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\"").matcher(form.group(2));
		while (input.find()) {
			rerun.param(input.group(1), org.springframework.web.util.HtmlUtils.htmlUnescape(input.group(2)));
		}
		MvcResult r = this.mvc.perform(rerun).andReturn();
		assertThat(r.getResponse().getStatus()).as(r.getResponse().getContentAsString()).isEqualTo(200);
		SteerResult expected = expected();
		assertThat(PlaygroundPageTest.steeredText(r.getResponse().getContentAsString()))
			.isEqualTo(expected.steeredCompletion().text());
	}

	@Test
	void anUnknownRunIs404() throws Exception {
		assertThat(this.mvc.perform(get("/playground/runs/AAAAAAAAAAAAAAAAAAAAAA")).andReturn().getResponse().getStatus())
			.isEqualTo(404);
	}
}
