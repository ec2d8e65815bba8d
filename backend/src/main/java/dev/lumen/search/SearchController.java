package dev.lumen.search;

import dev.lumen.sae.ResolvedSae;
import dev.lumen.sae.SaeDirectory;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * {@code /search?q=...}: labels and descriptions (by words, or by meaning with {@code mode=semantic}), feature
 * indices, pasted permalinks.
 */
@Controller
class SearchController {

	static final String VIEW_SEARCH = "search/searchFeatures";

	private final SearchService search;

	private final SaeDirectory directory;

	private final SearchSnippets snippets;

	SearchController(SearchService search, SaeDirectory directory, SearchSnippets snippets) {
		this.search = search;
		this.directory = directory;
		this.snippets = snippets;
	}

	@GetMapping("/search")
	String searchFeatures(@RequestParam(required = false) String q, @RequestParam(required = false) String sae,
			@RequestParam(defaultValue = "1") String page, @RequestParam(required = false) String mode, Model view) {
		ResolvedSae scope = this.search.scope(sae).orElse(null);
		SearchResult result = this.search.search(q, scope, parsePage(page), SearchMode.fromParam(mode));
		if (result.redirect() != null) {
			return "redirect:" + result.redirect();
		}
		view.addAttribute("result", result);
		view.addAttribute("snippets", this.snippets.of(result.matches()));
		view.addAttribute("scope", scope == null ? "" : scope.modelName() + "/" + scope.saeName());
		view.addAttribute("saes", this.directory.all());
		return VIEW_SEARCH;
	}

	private static int parsePage(String page) {
		try {
			return Math.max(1, Integer.parseInt(page));
		}
		catch (NumberFormatException ex) {
			return 1;
		}
	}
}
