package dev.lumen.feature;

import dev.lumen.sae.CatalogPaths;
import dev.lumen.sae.ResolvedSae;
import dev.lumen.sae.SaeDirectory;
import dev.lumen.system.PublicUrl;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The feature page, the permalink {@code /{model}/{sae}/{index}}; {@code ?text=...} adds "test on your own
 * text" to it, so a tested text is a shareable URL too.
 */
@Controller
class FeatureController {

	static final String VIEW_FEATURE_DETAILS = "features/featureDetails";

	static final String VIEW_TRY_FRAGMENT = "features/fragments :: tryResult";

	static final String VIEW_INTERVAL_FRAGMENT = "features/fragments :: intervalExamples";

	private final SaeDirectory directory;

	private final FeatureService features;

	private final PublicUrl publicUrl;

	FeatureController(SaeDirectory directory, FeatureService features, PublicUrl publicUrl) {
		this.directory = directory;
		this.features = features;
		this.publicUrl = publicUrl;
	}

	@GetMapping(CatalogPaths.FEATURE)
	String showFeature(@PathVariable String model, @PathVariable String sae, @PathVariable String index,
			@RequestParam(required = false) String text, @RequestParam(required = false) Integer interval, Model view) {
		ResolvedSae resolved = this.directory.resolve(model, sae);
		int featureIndex = this.directory.featureIndex(resolved, index);
		FeaturePage page = this.features.page(resolved, featureIndex, interval);
		view.addAttribute("page", page);
		view.addAttribute("dSae", resolved.sae().getDSae());
		view.addAttribute("tryText", this.features.tryText(resolved, featureIndex, text, page.stats()));
		// absolute, for link previews (OpenGraph), on the configured public URL (never the request's Host)
		view.addAttribute("permalink", this.publicUrl.of(resolved.featureHref(featureIndex)));
		return VIEW_FEATURE_DETAILS;
	}

	/**
	 * The examples of one activation interval, loaded by htmx when its section is opened; a plain request (no
	 * htmx) goes to the page with that interval open.
	 */
	@GetMapping(CatalogPaths.FEATURE + "/intervals/{interval}")
	String showIntervalFragment(@PathVariable String model, @PathVariable String sae, @PathVariable String index,
			@PathVariable int interval, @RequestHeader(name = "HX-Request", required = false) String htmx, Model view) {
		ResolvedSae resolved = this.directory.resolve(model, sae);
		int featureIndex = this.directory.featureIndex(resolved, index);
		if (htmx == null) {
			return "redirect:" + resolved.featureHref(featureIndex) + "?interval=" + interval + "#interval-" + interval;
		}
		FeatureStats stats = this.features.stats(resolved, featureIndex);
		view.addAttribute("lines", this.features.intervalLines(resolved, featureIndex, interval, stats));
		return VIEW_INTERVAL_FRAGMENT;
	}

	/**
	 * The "test on your own text" result alone, for htmx; the browser's address becomes the page URL with the
	 * text, and a plain request (no htmx) is sent to that URL.
	 */
	@GetMapping(CatalogPaths.FEATURE + "/try")
	String showTryFragment(@PathVariable String model, @PathVariable String sae, @PathVariable String index,
			@RequestParam(defaultValue = "") String text, @RequestHeader(name = "HX-Request", required = false) String htmx,
			Model view, HttpServletResponse response) {
		ResolvedSae resolved = this.directory.resolve(model, sae);
		int featureIndex = this.directory.featureIndex(resolved, index);
		String pageUrl = UriComponentsBuilder.fromPath(resolved.featureHref(featureIndex))
			.queryParamIfPresent("text", java.util.Optional.of(text).filter(t -> !t.isBlank()))
			.encode()
			.build()
			.toUriString();
		if (htmx == null) {
			return "redirect:" + pageUrl + "#try";
		}
		FeatureStats stats = this.features.stats(resolved, featureIndex);
		view.addAttribute("tryText", this.features.tryText(resolved, featureIndex, text, stats));
		response.setHeader("HX-Push-Url", pageUrl);
		return VIEW_TRY_FRAGMENT;
	}
}
