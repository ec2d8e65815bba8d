package dev.lumen.analysis;

import dev.lumen.catalog.CatalogModel;
import dev.lumen.catalog.CatalogModelRepository;
import dev.lumen.catalog.CatalogSae;
import dev.lumen.catalog.CatalogSaeRepository;
import dev.lumen.playground.PlaygroundBusyException;
import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * {@code GET /analyze}: the form, and with a prompt the analysis itself. The form submits with GET, so the address
 * of a result is its permalink: the analysis is deterministic for the catalog's model and SAE files, and opening
 * the link recomputes it (nothing a client sends is shown as a result).
 */
@Controller
class AnalyzePageController {

	private final AnalysisService analysis;

	private final CatalogModelRepository models;

	private final CatalogSaeRepository saes;

	AnalyzePageController(AnalysisService analysis, CatalogModelRepository models, CatalogSaeRepository saes) {
		this.analysis = analysis;
		this.models = models;
		this.saes = saes;
	}

	@GetMapping("/analyze")
	String page(@RequestParam(required = false) String on, @RequestParam(required = false) String prompt,
			@RequestParam(required = false) String target, @RequestParam(required = false) String contrast,
			@RequestParam(required = false) Integer top, @RequestParam(required = false) Integer verify,
			@RequestParam(required = false) Integer feature, Model view,
			HttpServletResponse response) {
		List<String> targets = new ArrayList<>();
		for (CatalogModel m : this.models.findAllByOrderByName()) {
			for (CatalogSae s : this.saes.findByModelInDisplayOrder(m.getId())) {
				targets.add(m.getName() + "/" + s.getName());
			}
		}
		view.addAttribute("targets", targets);
		view.addAttribute("on", on);
		view.addAttribute("prompt", prompt == null ? "" : prompt);
		view.addAttribute("target", target == null ? "" : target);
		view.addAttribute("contrast", contrast == null ? "" : contrast);
		view.addAttribute("top", top == null ? 10 : top);
		view.addAttribute("verify", verify == null ? 10 : verify);
		view.addAttribute("maxAblations", this.analysis.maxAblations());
		view.addAttribute("maxPromptTokens", this.analysis.maxPromptTokens());
		view.addAttribute("result", null);
		view.addAttribute("error", null);
		if (prompt != null && !prompt.isBlank()) {
			try {
				if (on == null || on.indexOf('/') < 0) {
					throw new AnalysisException("choose a model and SAE (model/sae)");
				}
				String model = on.substring(0, on.indexOf('/'));
				String sae = on.substring(on.indexOf('/') + 1);
				AnalysisResult result = this.analysis.analyze(new AnalyzeRequest(model, sae, prompt, blankToNull(target),
						blankToNull(contrast), top, verify));
				view.addAttribute("result", result);
				view.addAttribute("view", AnalysisView.of(result, feature));
			}
			catch (AnalysisException ex) {
				response.setStatus(400);
				view.addAttribute("error", ex.getMessage());
			}
			catch (PlaygroundBusyException ex) {
				response.setStatus(429);
				response.setHeader("Retry-After", Integer.toString(ex.retryAfterSeconds()));
				view.addAttribute("error", ex.getMessage());
			}
		}
		return "analysis/analyze";
	}

	private static String blankToNull(String s) {
		return s == null || s.isEmpty() ? null : s;
	}
}
