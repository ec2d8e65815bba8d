package dev.lumen.feature;

import dev.lumen.sae.CatalogPaths;
import dev.lumen.sae.ResolvedSae;
import dev.lumen.sae.SaeDirectory;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/** The feature page, the permalink {@code /{model}/{sae}/{index}}. */
@Controller
class FeatureController {

	static final String VIEW_FEATURE_DETAILS = "features/featureDetails";

	private final SaeDirectory directory;

	private final FeatureService features;

	FeatureController(SaeDirectory directory, FeatureService features) {
		this.directory = directory;
		this.features = features;
	}

	@GetMapping(CatalogPaths.FEATURE)
	String showFeature(@PathVariable String model, @PathVariable String sae, @PathVariable String index, Model view) {
		ResolvedSae resolved = this.directory.resolve(model, sae);
		int featureIndex = this.directory.featureIndex(resolved, index);
		view.addAttribute("page", this.features.page(resolved, featureIndex));
		view.addAttribute("dSae", resolved.sae().getDSae());
		// absolute, for link previews (OpenGraph)
		view.addAttribute("permalink", ServletUriComponentsBuilder.fromCurrentContextPath()
			.path(resolved.featureHref(featureIndex))
			.toUriString());
		return VIEW_FEATURE_DETAILS;
	}
}
