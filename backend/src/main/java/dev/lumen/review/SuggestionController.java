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

/** "Find candidates" for reviewers, and the per-category keyword sets that admins edit. */
@Controller
class SuggestionController {

	private static final String VIEW_SUGGESTIONS = "review/suggestions";

	private final SuggestionService suggestions;

	private final CatalogSaeRepository saes;

	SuggestionController(SuggestionService suggestions, CatalogSaeRepository saes) {
		this.suggestions = suggestions;
		this.saes = saes;
	}

	@GetMapping("/review/suggestions")
	String showKeywordSets(Model page) {
		page.addAttribute("sets", this.suggestions.keywords());
		return VIEW_SUGGESTIONS;
	}

	@PostMapping("/review/suggestions/{category}")
	String processKeywordSet(@PathVariable FlagCategory category, @RequestParam(defaultValue = "") String keywords,
			Principal principal, RedirectAttributes redirect) {
		try {
			this.suggestions.setKeywords(principal.getName(), category, keywords);
			redirect.addFlashAttribute("message", "Keywords for " + category.title() + " saved");
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
		redirect.addFlashAttribute("message",
				SuggestionService.summary(this.suggestions.findCandidates(principal.getName(), found.getId())));
		return "redirect:/review?state=SUGGESTED&saeId=" + found.getId();
	}
}
