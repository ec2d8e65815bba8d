package dev.lumen.review;

import dev.lumen.catalog.CatalogSae;
import dev.lumen.catalog.CatalogSaeRepository;
import jakarta.servlet.http.HttpServletResponse;
import java.security.Principal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Review on a feature: the badge its page loads, the flag form, the feature's review page with label
 * correction, and the per-category counts an SAE overview loads.
 */
@Controller
class FlagController {

	private static final String VIEW_BADGE = "review/badge :: badge";

	private static final String VIEW_COUNTS = "review/counts :: counts";

	private static final String VIEW_FLAG_FORM = "review/flagForm";

	private static final String VIEW_FEATURE = "review/feature";

	private static final String FEATURE_PATH = "/review/features/{model}/{sae}/{index}";

	private final FeatureResolver features;

	private final FlagService flags;

	private final ReviewQueries queries;

	private final FeatureLabelEditor labels;

	private final CatalogSaeRepository saes;

	FlagController(FeatureResolver features, FlagService flags, ReviewQueries queries, FeatureLabelEditor labels,
			CatalogSaeRepository saes) {
		this.features = features;
		this.flags = flags;
		this.queries = queries;
		this.labels = labels;
		this.saes = saes;
	}

	@GetMapping(FEATURE_PATH + "/badge")
	String showBadgeFragment(@PathVariable String model, @PathVariable String sae, @PathVariable int index,
			Principal principal, Model page) {
		ReviewFeature feature = this.features.require(model, sae, index);
		page.addAttribute("feature", feature);
		// suggestions are machine-made and unreviewed: only logged-in users see them
		page.addAttribute("flags", this.queries.flagsOf(feature.saeId(), feature.featureIndex())
			.stream()
			.filter(f -> principal != null || f.state() != FlagState.SUGGESTED)
			.toList());
		return VIEW_BADGE;
	}

	@GetMapping("/review/saes/{model}/{sae}/counts")
	String showCountsFragment(@PathVariable String model, @PathVariable String sae, Principal principal, Model page) {
		CatalogSae found = this.saes.findByModelNameAndName(model, sae)
			.orElseThrow(() -> new ReviewNotFoundException("No SAE " + model + "/" + sae));
		page.addAttribute("model", model);
		page.addAttribute("sae", found);
		// suggestions are machine-made and unreviewed: anonymous visitors see neither them nor their counts
		boolean loggedIn = principal != null;
		page.addAttribute("counts", this.queries.counts(found.getId())
			.stream()
			.map(c -> loggedIn ? c : c.without(FlagState.SUGGESTED))
			.toList());
		page.addAttribute("states", java.util.Arrays.stream(FlagState.values())
			.filter(s -> loggedIn || s != FlagState.SUGGESTED)
			.toList());
		return VIEW_COUNTS;
	}

	@GetMapping(FEATURE_PATH)
	String showFeatureReview(@PathVariable String model, @PathVariable String sae, @PathVariable int index, Model page) {
		ReviewFeature feature = this.features.require(model, sae, index);
		page.addAttribute("feature", feature);
		page.addAttribute("flags", this.queries.flagsOf(feature.saeId(), feature.featureIndex()));
		return VIEW_FEATURE;
	}

	@GetMapping(FEATURE_PATH + "/flag")
	String initFlagForm(@PathVariable String model, @PathVariable String sae, @PathVariable int index, Model page) {
		return flagForm(this.features.require(model, sae, index), page, null);
	}

	@PostMapping(FEATURE_PATH + "/flag")
	String processFlagForm(@PathVariable String model, @PathVariable String sae, @PathVariable int index,
			@RequestParam(required = false) FlagCategory category, @RequestParam(required = false) Severity severity,
			@RequestParam(defaultValue = "") String note, @RequestParam(required = false) Long evidenceContextId,
			@RequestParam(required = false) String evidenceUrl, Principal principal, Model page,
			HttpServletResponse response) {
		ReviewFeature feature = this.features.require(model, sae, index);
		try {
			Flag flag = this.flags.create(principal.getName(), feature,
					new FlagService.NewFlag(category, severity, note, evidenceContextId, evidenceUrl));
			return "redirect:/review/flags/" + flag.getId();
		}
		catch (IllegalArgumentException ex) {
			response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
			page.addAttribute("note", note);
			page.addAttribute("evidenceUrl", evidenceUrl);
			return flagForm(feature, page, ex.getMessage());
		}
	}

	@PostMapping(FEATURE_PATH + "/label")
	String processLabel(@PathVariable String model, @PathVariable String sae, @PathVariable int index,
			@RequestParam String label, Principal principal, RedirectAttributes redirect) {
		ReviewFeature feature = this.features.require(model, sae, index);
		try {
			this.labels.setLabel(principal.getName(), feature, label);
			redirect.addFlashAttribute("message", "Label saved");
		}
		catch (IllegalArgumentException ex) {
			redirect.addFlashAttribute("error", ex.getMessage());
		}
		return "redirect:/review/features/" + feature.mention();
	}

	private static String flagForm(ReviewFeature feature, Model page, String error) {
		page.addAttribute("feature", feature);
		page.addAttribute("categories", FlagCategory.values());
		page.addAttribute("severities", Severity.values());
		page.addAttribute("error", error);
		return VIEW_FLAG_FORM;
	}
}
