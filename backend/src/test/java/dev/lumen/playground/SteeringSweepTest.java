package dev.lumen.playground;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
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
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/**
 * The strength sweep: each column equals a separate steering run at that strength, the plain form renders all of
 * them without JavaScript, and a full scheduler refuses the sweep with 429 before any generation.
 */
@AutoConfigureMockMvc
class SteeringSweepTest extends DatabaseTest {

	static final String PROMPT = "Once upon a time, <Tom> & Lily";

	@Autowired
	MockMvc mvc;

	@Autowired
	ApplicationContext context;

	@Autowired
	SteeringService steering;

	@Autowired
	SteeringSweep sweeps;

	@Autowired
	GenerationSlots slots;

	SteerFixture fixture;

	@BeforeEach
	void setUp() throws Exception {
		this.fixture = new SteerFixture(this.context);
	}

	@AfterEach
	void tearDown() {
		this.fixture.close();
	}

	SteerRequest request(float value, String unit) {
		return new SteerRequest(PROMPT, this.fixture.model.getName(), List.of(new SteerRequest.Feature("res1", 17, "clamp", value,
				unit)), 0.8f, 8, 7L, 0.9f, "all");
	}

	@Test
	void eachColumnEqualsASeparateRunAtItsStrength() {
		SteeringSweep.Result sweep = this.sweeps.sweep(request(3, "multiple"));
		assertThat(sweep.columns()).extracting(SteeringSweep.Column::factor).containsExactly(0f, 0.5f, 1f, 2f, 4f);
		for (SteeringSweep.Column column : sweep.columns()) {
			SteerResult alone = this.steering.steer(request(column.factor(), "multiple"));
			assertThat(column.completion().tokens()).as("%s×", column.factor()).isEqualTo(alone.steeredCompletion().tokens());
			assertThat(column.completion().featureActivations()).isEqualTo(alone.steeredCompletion().featureActivations());
			assertThat(column.features().get(0).applied()).isEqualTo(column.factor() * SteerFixture.MAX);
			assertThat(sweep.defaultCompletion().tokens()).isEqualTo(alone.defaultCompletion().tokens());
		}
	}

	@Test
	void absoluteValuesAreMultipliedByTheFactor() {
		SteerRequest scaled = SteeringSweep.scaled(new SteerRequest(PROMPT, "m", List.of(
				new SteerRequest.Feature("res1", 17, "clamp", 3f, "absolute"), new SteerRequest.Feature("res1", 18, "add", 2f, null),
				new SteerRequest.Feature("res1", 19, null, 7f, null)), null, null, null, null, null), 0.5f);
		assertThat(scaled.features()).extracting(SteerRequest.Feature::value).containsExactly(1.5f, 1f, 0.5f);
	}

	MockHttpServletRequestBuilder form(String path) {
		return post(path).with(csrf()).param("target", this.fixture.model.getName() + "/res1").param("prompt", PROMPT)
			.param("featureIndex", "17").param("featureMode", "clamp").param("featureValue", "1").param("featureUnit", "multiple")
			.param("maxTokens", "8").param("temperature", "0.8").param("topP", "0.9").param("seed", "7").param("positions", "all");
	}

	@Test
	void thePlainFormShowsEveryStrengthSideBySideWithoutJavaScript() throws Exception {
		MvcResult r = this.mvc.perform(form("/playground").param("sweep", "1")).andReturn();
		String html = r.getResponse().getContentAsString();
		assertThat(r.getResponse().getStatus()).as(html).isEqualTo(200);
		SteeringSweep.Result expected = this.sweeps.sweep(request(1, "multiple"));
		Matcher columns = Pattern.compile("<div class=\"sweep-column\"[^>]*>\\s*<h3>([^<]+)</h3>\\s*<pre class=\"completion\">"
				+ "<span class=\"generated\">(.*?)</span></pre>", Pattern.DOTALL).matcher(html);
		List<String> headings = new java.util.ArrayList<>();
		List<String> texts = new java.util.ArrayList<>();
		while (columns.find()) {
			headings.add(columns.group(1));
			texts.add(org.springframework.web.util.HtmlUtils.htmlUnescape(columns.group(2).replaceAll("<[^>]+>", "")));
		}
		assertThat(headings).containsExactly("default", "0×", "0.5×", "1×", "2×", "4×");
		assertThat(texts.get(0)).isEqualTo(expected.defaultCompletion().text());
		for (int k = 0; k < expected.columns().size(); k++) {
			assertThat(texts.get(k + 1)).isEqualTo(expected.columns().get(k).completion().text());
		}
		assertThat(html).contains("Once upon a time, &lt;Tom&gt; &amp; Lily").doesNotContain("<Tom>");
		assertThat(html).contains("title=\"res1 #17: ");
	}

	@Test
	void aFullSchedulerRefusesTheSweepWith429() throws Exception {
		try (FullSlots full = new FullSlots(this.slots)) {
			MvcResult stream = this.mvc.perform(form("/playground/sweep/stream")).andReturn();
			assertThat(stream.getResponse().getStatus()).isEqualTo(429);
			assertThat(stream.getResponse().getHeader("Retry-After")).isNotBlank();
			MvcResult page = this.mvc.perform(form("/playground").param("sweep", "1")).andReturn();
			assertThat(page.getResponse().getStatus()).isEqualTo(429);
			assertThat(page.getResponse().getContentAsString()).contains("busy");
		}
	}

	@Test
	void aBadFormIsRefusedWith400BeforeTheStream() throws Exception {
		MvcResult r = this.mvc.perform(form("/playground/sweep/stream").param("maxTokens", "0")).andReturn();
		assertThat(r.getResponse().getStatus()).isEqualTo(400);
	}
}
