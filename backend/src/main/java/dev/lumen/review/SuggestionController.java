package dev.lumen.review;

import dev.lumen.catalog.CatalogSae;
import dev.lumen.catalog.CatalogSaeRepository;
import java.security.Principal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** "Find candidates" for reviewers, and the per-category keywords and prompts that admins edit. */
@Controller
class SuggestionController {

	private static final String VIEW_SUGGESTIONS = "review/suggestions";

	private final SuggestionService suggestions;

	private final SuggestionSets sets;

	private final CatalogSaeRepository saes;

	SuggestionController(SuggestionService suggestions, SuggestionSets sets, CatalogSaeRepository saes) {
		this.suggestions = suggestions;
		this.sets = sets;
		this.saes = saes;
	}

	@GetMapping("/review/suggestions")
	String showSuggestionSets(Model page) {
		page.addAttribute("sets", this.sets.all());
		page.addAttribute("filter", this.suggestions.promptFilter());
		return VIEW_SUGGESTIONS;
	}

	@PostMapping("/review/suggestions/{category}")
	String processKeywordSet(@PathVariable FlagCategory category, @RequestParam(defaultValue = "") String keywords,
			Principal principal, RedirectAttributes redirect) {
		return save(redirect, () -> this.sets.setKeywords(principal.getName(), category, keywords),
				"Keywords for " + category.title() + " saved");
	}

	@PostMapping("/review/suggestions/{category}/prompts")
	String processPromptSet(@PathVariable FlagCategory category, @RequestParam(defaultValue = "") String prompts,
			Principal principal, RedirectAttributes redirect) {
		return save(redirect, () -> this.sets.setPrompts(principal.getName(), category, prompts),
				"Prompts for " + category.title() + " saved");
	}

	private static String save(RedirectAttributes redirect, Runnable change, String success) {
		try {
			change.run();
			redirect.addFlashAttribute("message", success);
		}
		catch (IllegalArgumentException ex) {
			redirect.addFlashAttribute("error", ex.getMessage());
		}
		return "redirect:/review/suggestions";
	}

	@PostMapping("/review/saes/{model}/{sae}/candidates")
	String processFindCandidates(@PathVariable String model, @PathVariable String sae, Principal principal,
			RedirectAttributes redirect) {
		CatalogSae found = this.saes.findByModelNameAndName(model, sae)
			.orElseThrow(() -> new ReviewNotFoundException("No SAE " + model + "/" + sae));
		redirect.addFlashAttribute("message", this.suggestions.findCandidates(principal.getName(), found.getId()).summary());
		return "redirect:/review?state=SUGGESTED&saeId=" + found.getId();
	}
}
