package dev.lumen.audit;

import dev.lumen.catalog.CatalogSae;
import dev.lumen.catalog.CatalogSaeRepository;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;

/**
 * The audit log: globally for admins ({@code /audit}, newest first, with the hash chain's verification), and
 * per feature for logged-in users ({@code /audit/features/{model}/{sae}/{index}}).
 */
@Controller
class AuditController {

	private static final String VIEW_LOG = "audit/log";

	static final int PAGE_SIZE = 100;

	private final AuditLog audit;

	private final CatalogSaeRepository saes;

	AuditController(AuditLog audit, CatalogSaeRepository saes) {
		this.audit = audit;
		this.saes = saes;
	}

	@GetMapping("/audit")
	String showGlobalLog(@RequestParam(required = false) Long before, Model page) {
		List<AuditEvent> events = this.audit.recent(before, PAGE_SIZE);
		page.addAttribute("events", events);
		page.addAttribute("heading", "Audit log");
		page.addAttribute("chainBreaks", this.audit.chainBreaks());
		page.addAttribute("verified", true);
		if (events.size() == PAGE_SIZE) {
			page.addAttribute("olderThan", events.get(events.size() - 1).id());
		}
		return VIEW_LOG;
	}

	@GetMapping("/audit/features/{model}/{sae}/{index}")
	String showFeatureLog(@PathVariable String model, @PathVariable String sae, @PathVariable int index, Model page) {
		CatalogSae found = this.saes.findByModelNameAndName(model, sae)
			.orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No SAE " + model + "/" + sae));
		page.addAttribute("events", this.audit.forFeature(found.getId(), index));
		page.addAttribute("heading", "Audit log of " + model + "/" + sae + "/" + index);
		page.addAttribute("featurePath", "/review/features/" + model + "/" + sae + "/" + index);
		page.addAttribute("verified", false);
		return VIEW_LOG;
	}
}
