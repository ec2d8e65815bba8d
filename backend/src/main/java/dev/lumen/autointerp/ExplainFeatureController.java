package dev.lumen.autointerp;

import java.util.List;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * "Explain this feature" on a feature page: labels one feature now with the configured language model. Under
 * {@code /review/**}, so only reviewers and admins may spend the provider's tokens, with CSRF protection.
 */
@Controller
class ExplainFeatureController {

	private final AutointerpService autointerp;

	private final ExplainerSettings settings;

	ExplainFeatureController(AutointerpService autointerp, ExplainerSettings settings) {
		this.autointerp = autointerp;
		this.settings = settings;
	}

	@PostMapping("/review/features/{model}/{sae}/{index}/explain")
	String explainFeature(@PathVariable String model, @PathVariable String sae, @PathVariable int index,
			RedirectAttributes redirect) {
		String message;
		try {
			this.autointerp.labelFeature(model, sae, index, this.settings.explainer(), List.of());
			message = "Labelled by the configured language model.";
		}
		catch (IllegalArgumentException | IllegalStateException | LlmException ex) {
			message = "Could not explain this feature: " + ex.getMessage();
		}
		redirect.addFlashAttribute("explainMessage", message);
		redirect.addAttribute("model", model).addAttribute("sae", sae).addAttribute("index", index);
		return "redirect:/{model}/{sae}/{index}";
	}
}
