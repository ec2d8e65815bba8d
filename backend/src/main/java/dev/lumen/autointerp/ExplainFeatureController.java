package dev.lumen.autointerp;

import dev.lumen.audit.AuditLog;
import dev.lumen.catalog.CatalogSae;
import dev.lumen.catalog.CatalogSaeRepository;
import java.security.Principal;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Controller;
import org.springframework.transaction.support.TransactionTemplate;
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

	private final AuditLog audit;

	private final TransactionTemplate tx;

	private final CatalogSaeRepository saes;

	ExplainFeatureController(AutointerpService autointerp, ExplainerSettings settings, AuditLog audit,
			TransactionTemplate tx, CatalogSaeRepository saes) {
		this.saes = saes;
		this.autointerp = autointerp;
		this.settings = settings;
		this.audit = audit;
		this.tx = tx;
	}

	@PostMapping("/review/features/{model}/{sae}/{index}/explain")
	String explainFeature(@PathVariable String model, @PathVariable String sae, @PathVariable int index,
			Principal principal, RedirectAttributes redirect) {
		String message;
		try {
			long labelId = this.autointerp.labelFeature(model, sae, index, this.settings.explainer(), List.of());
			Long saeId = this.saes.findByModelNameAndName(model, sae).map(CatalogSae::getId).orElse(null);
			// a new label written at a user's request: audited like every other label change
			this.tx.executeWithoutResult(status -> this.audit.recordForFeature(principal.getName(), "label.explain", "label",
					labelId, saeId, index, null,
					Map.of("model", model, "sae", sae, "feature_index", index, "explainer", this.settings.explainer().name())));
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
