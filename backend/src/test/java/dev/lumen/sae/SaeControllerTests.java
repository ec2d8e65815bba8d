package dev.lumen.sae;

import static org.hamcrest.Matchers.containsString;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.verify;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.model;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.view;

import dev.lumen.catalog.CatalogModel;
import dev.lumen.catalog.CatalogSae;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

// the slice is about the controller; who may see it is AuthorizationMatrixTest's business (security filters off)
@AutoConfigureMockMvc(addFilters = false)
@WebMvcTest(SaeController.class)
class SaeControllerTests {

	@Autowired
	MockMvc mvc;

	@MockitoBean
	SaeDirectory directory;

	@MockitoBean
	SaeOverviewRepository overview;

	private ResolvedSae tinySae() {
		CatalogModel model = new CatalogModel("tiny", "Tiny model", "test", "LlamaForCausalLM", 64, 8, 512);
		CatalogSae sae = new CatalogSae(model, "res-4-1k", "blocks.4.hook_resid_post", 4, 64, 1024, "standard", "test");
		sae.setEvalStats("{\"l0\": 20.25, \"ce_loss_recovered\": 0.95}");
		// ids come from the database; this SAE never saw one
		org.springframework.test.util.ReflectionTestUtils.setField(sae, "id", 5L);
		return new ResolvedSae(1L, "tiny", "Tiny model", sae);
	}

	private void given120Features(ResolvedSae sae) {
		given(this.directory.resolve("tiny", "res-4-1k")).willReturn(sae);
		given(this.overview.countFeatures(5L)).willReturn(120L);
		given(this.overview.densityCounts(5L)).willReturn(new SaeOverviewRepository.DensityCounts(new long[32], 4, 0));
		given(this.overview.page(eq(5L), eq(FeatureFilter.NONE), eq(FeatureSort.DENSITY), eq(true), anyInt(), eq(SaeController.PAGE_SIZE)))
			.willReturn(List.of(new FeatureRow(17, "rainy days", true, 0.25f, 4.5f)));
	}

	@Test
	void showSaeRendersStatsAndTheRequestedPageOfTheTable() throws Exception {
		ResolvedSae sae = tinySae();
		given120Features(sae);

		this.mvc.perform(get("/tiny/res-4-1k").param("sort", "density").param("dir", "desc").param("page", "3"))
			.andExpect(status().isOk())
			.andExpect(view().name(SaeController.VIEW_SAE_DETAILS))
			.andExpect(model().attribute("page", 3))
			.andExpect(model().attribute("pages", 3))
			.andExpect(content().string(containsString("<dt>L0 (active features per token)</dt><dd>20.25</dd>")))
			.andExpect(content().string(containsString("<dt>CE loss recovered</dt><dd>95.00%</dd>")))
			.andExpect(content().string(containsString("rainy days")))
			.andExpect(content().string(containsString("<strong>4</strong> dead features")))
			.andExpect(content().string(containsString("page 3 of 3")));
		verify(this.overview).page(5L, FeatureFilter.NONE, FeatureSort.DENSITY, true, 100, SaeController.PAGE_SIZE);
	}

	@Test
	void randomFeatureRedirectsToItsPermalink() throws Exception {
		ResolvedSae sae = tinySae();
		given(this.directory.resolve("tiny", "res-4-1k")).willReturn(sae);
		given(this.overview.randomFeature(5L, 1024)).willReturn(Optional.of(812));
		this.mvc.perform(get("/tiny/res-4-1k/random")).andExpect(redirectedUrl("/tiny/res-4-1k/812"));
	}

	@Test
	void randomFeatureOfAnEmptySaeExplainsThatNothingIsExtracted() throws Exception {
		ResolvedSae sae = tinySae();
		given(this.directory.resolve("tiny", "res-4-1k")).willReturn(sae);
		given(this.overview.randomFeature(5L, 1024)).willReturn(Optional.empty());
		this.mvc.perform(get("/tiny/res-4-1k/random"))
			.andExpect(status().isNotFound())
			.andExpect(content().string(containsString("has no extracted features yet")));
	}
}
