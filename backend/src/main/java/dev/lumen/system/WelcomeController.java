package dev.lumen.system;

import dev.lumen.catalog.CatalogModel;
import dev.lumen.catalog.CatalogModelRepository;
import dev.lumen.catalog.CatalogSae;
import dev.lumen.catalog.CatalogSaeRepository;
import dev.lumen.sae.SaeStats;
import java.util.List;
import org.springframework.stereotype.Controller;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

@Controller
class WelcomeController {

	private static final String VIEW_WELCOME = "welcome";

	private final CatalogModelRepository models;

	private final CatalogSaeRepository saes;

	WelcomeController(CatalogModelRepository models, CatalogSaeRepository saes) {
		this.models = models;
		this.saes = saes;
	}

	record ModelEntry(CatalogModel model, List<SaeEntry> saes) {
	}

	/** An SAE with its key numbers from eval_stats. */
	record SaeEntry(CatalogSae sae, SaeStats stats, String href) {
	}

	@GetMapping("/")
	@Transactional(readOnly = true)
	String showWelcome(Model model) {
		List<ModelEntry> entries = this.models.findAllByOrderByName()
			.stream()
			.map(m -> new ModelEntry(m, this.saes.findByModelInDisplayOrder(m.getId())
				.stream()
				.map(s -> new SaeEntry(s, SaeStats.of(s), "/" + m.getName() + "/" + s.getName()))
				.toList()))
			.toList();
		model.addAttribute("models", entries);
		return VIEW_WELCOME;
	}
}
