package dev.lumen.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

import dev.lumen.catalog.CatalogModel;
import dev.lumen.catalog.CatalogModelRepository;
import dev.lumen.catalog.CatalogSae;
import dev.lumen.catalog.SaeRegistrar;
import dev.lumen.testing.DatabaseTest;
import dev.lumen.testing.RepoFiles;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
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

/** /analyze without JavaScript: bars drawn by the server to scale, and the chosen feature's heat-map. */
@AutoConfigureMockMvc
class AnalyzePageTest extends DatabaseTest {

	static final String PROMPT = "Once upon a time, there was a <little> girl named Lily. She loved to";

	@Autowired
	MockMvc mvc;

	@Autowired
	ApplicationContext context;

	@Autowired
	AnalysisService analysis;

	CatalogModel model;

	@BeforeEach
	void setUp() {
		this.model = this.context.getBean(CatalogModelRepository.class).save(new CatalogModel(
				"ap-" + UUID.randomUUID().toString().substring(0, 8), "analysis test", RepoFiles.DEMO_MODEL.toString(),
				"LlamaForCausalLM", 128, 8, 512));
		this.context.getBean(SaeRegistrar.class).register(new CatalogSae(this.model, "res1", "blocks.1.hook_resid_post", 1,
				128, 1024, "topk", RepoFiles.root().resolve("demo/sae/tinystories-1m-blocks.1.hook_resid_post-1024").toString()));
	}

	@AfterEach
	void tearDown() {
		this.context.getBean(CatalogModelRepository.class).delete(this.model);
	}

	String page(String feature) throws Exception {
		var request = get("/analyze").param("on", this.model.getName() + "/res1").param("prompt", PROMPT).param("top", "5")
			.param("verify", "4");
		if (feature != null) {
			request.param("feature", feature);
		}
		MvcResult r = this.mvc.perform(request).andReturn();
		assertThat(r.getResponse().getStatus()).as(r.getResponse().getContentAsString()).isEqualTo(200);
		return r.getResponse().getContentAsString();
	}

	@Test
	void attributionAndAblationBarsAreDrawnToOneScale() throws Exception {
		String html = page(null);
		AnalysisResult expected = this.analysis.analyze(new AnalyzeRequest(this.model.getName(), "res1", PROMPT, null, null, 5, 4));
		float scale = 0;
		for (AnalysisResult.FeatureRow row : expected.summed()) {
			scale = Math.max(scale, Math.max(Math.abs(row.attribution()), row.ablation() == null ? 0 : Math.abs(row.ablation())));
		}
		List<String> summedBars = new ArrayList<>();
		Matcher rows = Pattern.compile("<tr data-position=\"all\">(.*?)</tr>", Pattern.DOTALL).matcher(html);
		while (rows.find()) {
			Matcher bar = Pattern.compile("<span class=\"bar (pos|neg)\" style=\"width:([0-9.]+)%\"></span>").matcher(rows.group(1));
			StringBuilder bars = new StringBuilder();
			while (bar.find()) {
				bars.append(bar.group(1)).append(' ').append(bar.group(2)).append(';');
			}
			summedBars.add(bars.toString());
		}
		assertThat(summedBars).hasSize(expected.summed().size());
		for (int k = 0; k < expected.summed().size(); k++) {
			AnalysisResult.FeatureRow row = expected.summed().get(k);
			String want = bar(row.attribution(), scale) + (row.ablation() == null ? "" : bar(row.ablation(), scale));
			assertThat(summedBars.get(k)).as("row %d", k).isEqualTo(want);
		}
		assertThat(summedBars).anyMatch(b -> b.contains(" 100.0;")); // the largest value fills its track
	}

	static String bar(float value, float scale) {
		return (value < 0 ? "neg" : "pos") + " " + String.format(Locale.ROOT, "%.1f", 100 * Math.min(1, Math.abs(value) / scale)) + ";";
	}

	@Test
	void theChosenFeaturesHeatMapShadesEveryPromptTokenByItsActivation() throws Exception {
		AnalysisResult expected = this.analysis.analyze(new AnalyzeRequest(this.model.getName(), "res1", PROMPT, null, null, 5, 4));
		AnalysisResult.FeatureTrace trace = expected.traces().get(2);
		String html = page(Integer.toString(trace.index()));
		Matcher shown = Pattern.compile("<div class=\"heatmap\" data-feature=\"(\\d+)\">(.*?)</div>", Pattern.DOTALL).matcher(html);
		assertThat(shown.find()).isTrue();
		assertThat(shown.group(1)).isEqualTo(Integer.toString(trace.index()));
		assertThat(shown.find()).as("only the chosen heat-map is visible").isFalse();
		assertThat(html).contains("data-feature=\"" + expected.traces().get(0).index() + "\" hidden");
		float max = 0;
		for (float a : trace.activations()) {
			max = Math.max(max, a);
		}
		String map = html.substring(html.indexOf("<div class=\"heatmap\" data-feature=\"" + trace.index() + "\">"));
		Matcher heat = Pattern.compile("<span class=\"heat\"[^>]*? style=\"--a:([0-9.]+)\"[^>]*? title=\"([^\"]*)\"").matcher(map);
		for (int p = 1; p < expected.tokens().size(); p++) {
			assertThat(heat.find()).as("token %d in %s", p, map.substring(0, Math.min(600, map.length()))).isTrue();
			float a = trace.activations().get(p);
			assertThat(heat.group(1)).isEqualTo(String.format(Locale.ROOT, "%.2f", max > 0 ? Math.max(0, a) / max : 0));
			assertThat(org.springframework.web.util.HtmlUtils.htmlUnescape(heat.group(2))).isEqualTo(String.format(Locale.ROOT,
					"position %d · %s · activation %.3f · attribution %+.4f", p, expected.tokens().get(p).text(), a,
					trace.attributions().get(p)));
		}
		// the prompt's markup stays text
		assertThat(html).contains("&lt;little&gt;").doesNotContain("<little>");
		// the permalink keeps the chosen feature
		assertThat(html).containsPattern("id=\"analysis-permalink\" href=\"[^\"]*feature=" + trace.index() + "\"");
	}
}
