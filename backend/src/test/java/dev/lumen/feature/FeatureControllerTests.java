package dev.lumen.feature;

import static org.mockito.BDDMockito.given;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.model;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.view;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

import dev.lumen.catalog.CatalogModel;
import dev.lumen.catalog.CatalogSae;
import dev.lumen.display.BarCharts;
import dev.lumen.feature.ExampleLine.TokenCell;
import dev.lumen.sae.NotInCatalogException;
import dev.lumen.sae.ResolvedSae;
import dev.lumen.sae.SaeDirectory;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

// the slice is about the controller; who may see it is AuthorizationMatrixTest's business (security filters off)
@AutoConfigureMockMvc(addFilters = false)
@WebMvcTest(controllers = FeatureController.class, properties = "lumen.public-url=http://localhost")
@org.springframework.context.annotation.Import(dev.lumen.system.PublicUrl.class)
class FeatureControllerTests {

	@Autowired
	MockMvc mvc;

	@MockitoBean
	SaeDirectory directory;

	@MockitoBean
	FeatureService features;

	private ResolvedSae tinySae() {
		CatalogModel model = new CatalogModel("tiny", "Tiny model", "test", "LlamaForCausalLM", 64, 8, 512);
		CatalogSae sae = new CatalogSae(model, "res-4-1k", "blocks.4.hook_resid_post", 4, 64, 1024, "standard", "test");
		return new ResolvedSae(1L, "tiny", "Tiny model", sae);
	}

	private FeaturePage feature42(ResolvedSae sae) {
		FeatureLabel label = new FeatureLabel(9, "Dialogue openers", "Quotes that start speech.", "heuristic", true, Map.of(),
				null);
		ExampleLine line = new ExampleLine("top-0", "top", 0, 0, "tiny", 5, 0, 2.5f,
				List.of(new TokenCell("\"", 0, 0, false, true), new TokenCell("Hello", 2.5f, 1, true, true),
						new TokenCell("⏎", 0.5f, 0.2, false, true)),
				0, 0);
		return new FeaturePage(sae, 42, new FeatureStats(42, 0.001f, 2.5f, 0.7f), label,
				BarCharts.activation(new float[] { 0.1f, 1, 10 }, new long[] { 3, 1 }), null, List.of(line), List.of(),
				List.of(), List.of(), List.of(), List.of(), List.of(new LinkedFeature("res-4-1k", 7, 0.91, null, "/tiny/res-4-1k/7")),
				List.of());
	}

	@Test
	void theSharedPermalinkUsesThePublicUrlNeverTheRequestsHost() throws Exception {
		ResolvedSae sae = tinySae();
		given(this.directory.resolve("tiny", "res-4-1k")).willReturn(sae);
		given(this.directory.featureIndex(sae, "42")).willReturn(42);
		given(this.features.page(sae, 42, null)).willReturn(feature42(sae));
		given(this.features.tryText(sae, 42, null, feature42(sae).stats())).willReturn(new TryText(null, null, 0, false, null));

		this.mvc.perform(get("/tiny/res-4-1k/42").header("Host", "evil.example").with(request -> {
			request.setServerName("evil.example");
			return request;
		}))
			.andExpect(status().isOk())
			.andExpect(model().attribute("permalink", "http://localhost/tiny/res-4-1k/42"))
			.andExpect(content().string(org.hamcrest.Matchers.not(containsString("evil.example"))));
	}

	@Test
	void showFeatureRendersTheFeatureDetailsView() throws Exception {
		ResolvedSae sae = tinySae();
		given(this.directory.resolve("tiny", "res-4-1k")).willReturn(sae);
		given(this.directory.featureIndex(sae, "42")).willReturn(42);
		given(this.features.page(sae, 42, null)).willReturn(feature42(sae));
		given(this.features.tryText(sae, 42, null, feature42(sae).stats())).willReturn(new TryText(null, null, 0, false, null));

		this.mvc.perform(get("/tiny/res-4-1k/42"))
			.andExpect(status().isOk())
			.andExpect(view().name(FeatureController.VIEW_FEATURE_DETAILS))
			.andExpect(model().attribute("permalink", "http://localhost/tiny/res-4-1k/42"))
			.andExpect(content().string(containsString("Dialogue openers")))
			.andExpect(content().string(containsString("id=\"heuristic-label\"")))
			.andExpect(content().string(containsString("data-act=\"2.500\"")))
			.andExpect(content().string(containsString("href=\"/tiny/res-4-1k/7\"")))
			.andExpect(content().string(containsString("Specificity: not scored yet")));
	}

	@Test
	void showFeatureTurnsUnknownNamesIntoA404WithSuggestions() throws Exception {
		given(this.directory.resolve("tiny", "nope")).willThrow(new NotInCatalogException("Unknown SAE",
				"Model tiny has no SAE called “nope”.", List.of(new NotInCatalogException.Suggestion("tiny / res-4-1k", "/tiny/res-4-1k"))));

		this.mvc.perform(get("/tiny/nope/3"))
			.andExpect(status().isNotFound())
			.andExpect(view().name("saes/notFound"))
			.andExpect(content().string(containsString("Model tiny has no SAE called “nope”.")))
			.andExpect(content().string(containsString("href=\"/tiny/res-4-1k\"")));
	}

	@Test
	void reservedFirstSegmentsAreNotFeaturePages() throws Exception {
		this.mvc.perform(get("/css/x/1")).andExpect(status().isNotFound()).andExpect(content().string(not(containsString("Unknown model"))));
	}
}
