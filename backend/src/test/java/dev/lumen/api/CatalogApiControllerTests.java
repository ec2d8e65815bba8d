package dev.lumen.api;

import static org.mockito.BDDMockito.given;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.lumen.catalog.CatalogModel;
import dev.lumen.catalog.CatalogModelRepository;
import dev.lumen.catalog.CatalogSae;
import dev.lumen.sae.FeatureRow;
import dev.lumen.sae.FeatureSort;
import dev.lumen.sae.NotInCatalogException;
import dev.lumen.sae.ResolvedSae;
import dev.lumen.sae.SaeDirectory;
import dev.lumen.sae.SaeOverviewRepository;
import dev.lumen.search.LabelMatch;
import dev.lumen.search.SearchMode;
import dev.lumen.search.SearchResult;
import dev.lumen.search.SearchService;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.util.ReflectionTestUtils;
import org.springframework.test.web.servlet.MockMvc;

// the slice is about the controller; who may see it is AuthorizationMatrixTest's business (security filters off)
@AutoConfigureMockMvc(addFilters = false)
@WebMvcTest(CatalogApiController.class)
class CatalogApiControllerTests {

	@Autowired
	MockMvc mvc;

	@MockitoBean
	CatalogModelRepository models;

	@MockitoBean
	SaeDirectory directory;

	@MockitoBean
	SaeOverviewRepository overview;

	@MockitoBean
	SearchService search;

	private ResolvedSae tinySae() {
		CatalogModel model = new CatalogModel("tiny", "Tiny model", "test", "LlamaForCausalLM", 64, 8, 512);
		CatalogSae sae = new CatalogSae(model, "res-4-1k", "blocks.4.hook_resid_post", 4, 64, 1024, "standard", "test");
		ReflectionTestUtils.setField(sae, "id", 5L);
		return new ResolvedSae(1L, "tiny", "Tiny model", sae);
	}

	@Test
	void listFeaturesCapsThePageSizeAndReturnsRows() throws Exception {
		given(this.directory.resolve("tiny", "res-4-1k")).willReturn(tinySae());
		given(this.overview.countFeatures(5L)).willReturn(1024L);
		given(this.overview.page(5L, FeatureSort.MAX, true, 500, CatalogApiController.MAX_PAGE_SIZE))
			.willReturn(List.of(new FeatureRow(17, "rainy days", false, 0.25f, 4.5f)));

		this.mvc.perform(get("/api/tiny/res-4-1k/features?sort=max&dir=desc&page=2&size=100000"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.total").value(1024))
			.andExpect(jsonPath("$.pageSize").value(500))
			.andExpect(jsonPath("$.sort").value("max"))
			.andExpect(jsonPath("$.features[0].index").value(17))
			.andExpect(jsonPath("$.features[0].label").value("rainy days"))
			.andExpect(jsonPath("$.features[0].maxActivation").value(4.5));
	}

	@Test
	void malformedListParametersAre400ProblemDetailsNamingTheParameterNotSilentDefaults() throws Exception {
		given(this.directory.resolve("tiny", "res-4-1k")).willReturn(tinySae());
		for (String[] bad : new String[][] { { "sort=x", "'sort' must be index, density or max" },
				{ "page=-1", "'page' must be 1 or more" }, { "page=abc", "'page'" }, { "dir=sideways", "'dir' must be asc or desc" },
				{ "size=0", "'size' must be 1 or more" } }) {
			this.mvc.perform(get("/api/tiny/res-4-1k/features?" + bad[0]))
				.andExpect(status().isBadRequest())
				.andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString(bad[1])));
		}
		this.mvc.perform(get("/api/search?q=x&page=0")).andExpect(status().isBadRequest());
		this.mvc.perform(get("/api/search?q=x&mode=fuzzy")).andExpect(status().isBadRequest());
	}

	@Test
	void unknownSaeIsAProblemDetailWithSuggestions() throws Exception {
		given(this.directory.resolve("tiny", "nope")).willThrow(new NotInCatalogException("Unknown SAE", "no SAE nope",
				List.of(new NotInCatalogException.Suggestion("tiny / res-4-1k", "/tiny/res-4-1k"))));
		this.mvc.perform(get("/api/tiny/nope"))
			.andExpect(status().isNotFound())
			.andExpect(jsonPath("$.title").value("Unknown SAE"))
			.andExpect(jsonPath("$.suggestions[0].href").value("/tiny/res-4-1k"));
	}

	@Test
	void searchFeaturesInSemanticModeReturnsMatchesWithTheirCosine() throws Exception {
		ResolvedSae tiny = tinySae();
		given(this.search.scope("tiny/res-4-1k")).willReturn(Optional.of(tiny));
		given(this.search.search("pets", tiny, 1, SearchMode.SEMANTIC)).willReturn(new SearchResult("pets", false, null,
				List.of(), List.of(new LabelMatch("tiny", "res-4-1k", 9, "dogs and cats", null, false, 0.625)), 1, false,
				SearchMode.SEMANTIC, false));
		this.mvc.perform(get("/api/search?q=pets&sae=tiny/res-4-1k&mode=semantic"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.mode").value("semantic"))
			.andExpect(jsonPath("$.matches[0].featureIndex").value(9))
			.andExpect(jsonPath("$.matches[0].label").value("dogs and cats"))
			.andExpect(jsonPath("$.matches[0].score").value(0.625));
	}
}
