package dev.lumen.sae;

import dev.lumen.display.BarCharts;
import dev.lumen.sae.NotInCatalogException.Suggestion;
import java.util.List;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;

/** The SAE overview {@code /{model}/{sae}}: stats, density histogram, the sortable feature table. */
@Controller
class SaeController {

	static final String VIEW_SAE_DETAILS = "saes/saeDetails";

	static final int PAGE_SIZE = 50;

	private final SaeDirectory directory;

	private final SaeOverviewRepository overview;

	SaeController(SaeDirectory directory, SaeOverviewRepository overview) {
		this.directory = directory;
		this.overview = overview;
	}

	@GetMapping(CatalogPaths.SAE)
	String showSae(@PathVariable String model, @PathVariable String sae, @RequestParam(defaultValue = "index") String sort,
			@RequestParam(defaultValue = "asc") String dir, @RequestParam(defaultValue = "1") String page,
			@RequestParam(required = false) String label, @RequestParam(required = false) String minDensity,
			@RequestParam(required = false) String maxDensity, @RequestParam(required = false) String minMax,
			@RequestParam(required = false) String minAuroc, @RequestParam(required = false) String state,
			@RequestParam(required = false) String source, Model view) {
		ResolvedSae resolved = this.directory.resolve(model, sae);
		FeatureSort by = FeatureSort.parse(sort);
		boolean descending = "desc".equals(dir);
		FeatureFilter filter = FeatureFilter.parse(label, minDensity, maxDensity, minMax, minAuroc, state, source);
		long total = this.overview.countFeatures(resolved.saeId());
		long matching = filter.active() ? this.overview.countFeatures(resolved.saeId(), filter) : total;
		int pages = (int) Math.max(1, (matching + PAGE_SIZE - 1) / PAGE_SIZE);
		int current = Math.min(pages, Math.max(1, parsePage(page)));
		SaeOverviewRepository.DensityCounts density = this.overview.densityCounts(resolved.saeId());
		view.addAttribute("sae", resolved);
		view.addAttribute("stats", SaeStats.of(resolved.sae()));
		view.addAttribute("config", SaeStats.scalars(resolved.sae().getConfig()));
		view.addAttribute("training", SaeStats.scalars(resolved.sae().getTrainingStats()));
		view.addAttribute("densityChart", BarCharts.density(density.bins(), SaeOverviewRepository.LOG10_LO,
				SaeOverviewRepository.LOG10_HI));
		view.addAttribute("density", density);
		view.addAttribute("rows", this.overview.page(resolved.saeId(), filter, by, descending, (current - 1) * PAGE_SIZE,
				PAGE_SIZE));
		view.addAttribute("filter", filter);
		view.addAttribute("matching", matching);
		view.addAttribute("sort", by.param());
		view.addAttribute("dir", descending ? "desc" : "asc");
		view.addAttribute("page", current);
		view.addAttribute("pages", pages);
		view.addAttribute("total", total);
		return VIEW_SAE_DETAILS;
	}

	@GetMapping(CatalogPaths.SAE + "/random")
	String randomFeature(@PathVariable String model, @PathVariable String sae) {
		ResolvedSae resolved = this.directory.resolve(model, sae);
		int index = this.overview.randomFeature(resolved.saeId(), resolved.sae().getDSae())
			.orElseThrow(() -> new NotInCatalogException("No features yet", "SAE " + resolved.saeName()
					+ " has no extracted features yet, so there is none to pick.",
					List.of(new Suggestion("SAE " + resolved.saeName() + " overview", resolved.href()))));
		return "redirect:" + resolved.featureHref(index);
	}

	private static int parsePage(String page) {
		try {
			return Integer.parseInt(page);
		}
		catch (NumberFormatException ex) {
			return 1;
		}
	}
}
