package dev.lumen.search;

import dev.lumen.feature.ProbeUnavailableException;
import dev.lumen.sae.ResolvedSae;
import dev.lumen.sae.SaeDirectory;
import java.util.List;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * {@code /search/prompt}: type a prompt, see each token's top features; several positive and negative prompts
 * (one per line) give the features active on all positives and none of the negatives. GET only, so every
 * result is a URL.
 */
@Controller
class PromptSearchController {

	static final String VIEW_PROMPT_SEARCH = "search/promptSearch";

	private final PromptSearchService prompts;

	private final SearchService search;

	private final SaeDirectory directory;

	PromptSearchController(PromptSearchService prompts, SearchService search, SaeDirectory directory) {
		this.prompts = prompts;
		this.search = search;
		this.directory = directory;
	}

	@GetMapping("/search/prompt")
	String searchByPrompt(@RequestParam(required = false) String sae, @RequestParam(defaultValue = "") String positive,
			@RequestParam(defaultValue = "") String negative, Model view) {
		List<ResolvedSae> saes = this.directory.all();
		ResolvedSae scope = this.search.scope(sae).orElse(saes.isEmpty() ? null : saes.get(0));
		List<String> pos = PromptSearchService.lines(positive);
		List<String> neg = PromptSearchService.lines(negative);
		view.addAttribute("saes", saes);
		view.addAttribute("scope", scope == null ? "" : scope.modelName() + "/" + scope.saeName());
		view.addAttribute("positive", positive);
		view.addAttribute("negative", negative);
		view.addAttribute("positives", pos);
		if (scope != null && !pos.isEmpty()) {
			try {
				view.addAttribute("tokens", this.prompts.tokens(scope, pos.get(0)));
				if (pos.size() > 1 || !neg.isEmpty()) {
					view.addAttribute("filtered", this.prompts.filter(scope, pos, neg));
				}
			}
			catch (ProbeUnavailableException ex) {
				view.addAttribute("error", ex.getMessage());
			}
		}
		return VIEW_PROMPT_SEARCH;
	}
}
