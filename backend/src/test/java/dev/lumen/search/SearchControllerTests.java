package dev.lumen.search;

import static org.hamcrest.Matchers.containsString;
import static org.mockito.BDDMockito.given;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.view;

import dev.lumen.sae.SaeDirectory;
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
@WebMvcTest(SearchController.class)
class SearchControllerTests {

	@Autowired
	MockMvc mvc;

	@MockitoBean
	SearchSnippets snippets;

	@MockitoBean
	SearchService search;

	@MockitoBean
	SaeDirectory directory;

	@Test
	void searchFeaturesListsLabelMatchesEscaped() throws Exception {
		given(this.search.scope(null)).willReturn(Optional.empty());
		given(this.search.search("<b>rain</b>", null, 1, SearchMode.TEXT)).willReturn(new SearchResult("<b>rain</b>", false,
				null, List.of(), List.of(new LabelMatch("tiny", "res-4-1k", 17, "rainy <b>days</b>", null, true, 0.9)), 1, true,
				SearchMode.TEXT, false));
		this.mvc.perform(get("/search").param("q", "<b>rain</b>"))
			.andExpect(status().isOk())
			.andExpect(view().name(SearchController.VIEW_SEARCH))
			.andExpect(content().string(containsString("href=\"/tiny/res-4-1k/17\"")))
			.andExpect(content().string(containsString("rainy &lt;b&gt;days&lt;/b&gt;")))
			.andExpect(content().string(containsString("value=\"&lt;b&gt;rain&lt;/b&gt;\"")))
			.andExpect(content().string(containsString("rel=\"next\"")));
	}

	@Test
	void searchFeaturesRedirectsWhenTheQueryNamesOneFeature() throws Exception {
		given(this.search.scope(null)).willReturn(Optional.empty());
		given(this.search.search("tiny/res-4-1k/5", null, 1, SearchMode.TEXT)).willReturn(new SearchResult("tiny/res-4-1k/5",
				false, "/tiny/res-4-1k/5", List.of(), List.of(), 1, false, SearchMode.TEXT, false));
		this.mvc.perform(get("/search").param("q", "tiny/res-4-1k/5")).andExpect(redirectedUrl("/tiny/res-4-1k/5"));
	}

	@Test
	void searchFeaturesInSemanticModeShowsTheCosineAndKeepsTheModeWhenPaging() throws Exception {
		given(this.search.scope(null)).willReturn(Optional.empty());
		given(this.search.search("pets", null, 2, SearchMode.SEMANTIC)).willReturn(new SearchResult("pets", false, null,
				List.of(), List.of(new LabelMatch("tiny", "res-4-1k", 9, "dogs & <i>cats</i>", null, false, 0.61234)), 2, true,
				SearchMode.SEMANTIC, false));
		this.mvc.perform(get("/search").param("q", "pets").param("mode", "semantic").param("page", "2"))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("dogs &amp; &lt;i&gt;cats&lt;/i&gt;")))
			.andExpect(content().string(containsString("<span class=\"score\" title=\"cosine similarity 0.61234\">0.612</span>")))
			.andExpect(content().string(containsString("id=\"mode-semantic\" checked")))
			.andExpect(content().string(containsString("/search?q=pets&amp;sae=&amp;mode=semantic&amp;page=3")));
	}

	@Test
	void semanticSearchWithoutAnyLabelVectorSaysHowToMakeThem() throws Exception {
		given(this.search.scope(null)).willReturn(Optional.empty());
		given(this.search.search("pets", null, 1, SearchMode.SEMANTIC)).willReturn(new SearchResult("pets", false, null,
				List.of(), List.of(), 1, false, SearchMode.SEMANTIC, true));
		this.mvc.perform(get("/search").param("q", "pets").param("mode", "semantic"))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("id=\"no-vectors\"")))
			.andExpect(content().string(containsString("lumen embed-labels")));
	}
}
