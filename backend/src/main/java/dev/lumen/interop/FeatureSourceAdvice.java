package dev.lumen.interop;

import dev.lumen.sae.NotInCatalogException;
import dev.lumen.sae.ResolvedSae;
import dev.lumen.sae.SaeDirectory;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;

/**
 * Puts {@code featureSource} (where an imported feature came from, or null) into the model of the feature page's
 * handlers, for {@code interop/source.html}. Optional beans, so web slices without the database render the page
 * without it.
 */
@ControllerAdvice(basePackages = "dev.lumen.feature")
class FeatureSourceAdvice {

	private final ObjectProvider<FeatureSources> sources;

	private final ObjectProvider<SaeDirectory> directory;

	FeatureSourceAdvice(ObjectProvider<FeatureSources> sources, ObjectProvider<SaeDirectory> directory) {
		this.sources = sources;
		this.directory = directory;
	}

	@ModelAttribute
	void featureSource(@PathVariable Map<String, String> path, Model model) {
		FeatureSources found = this.sources.getIfAvailable();
		SaeDirectory saes = this.directory.getIfAvailable();
		if (found == null || saes == null || !path.containsKey("model") || !path.containsKey("sae")
				|| !path.containsKey("index") || !path.get("index").matches("\\d{1,9}")) {
			return;
		}
		try {
			ResolvedSae sae = saes.resolve(path.get("model"), path.get("sae"));
			model.addAttribute("featureSource", found.of(sae.saeId(), Integer.parseInt(path.get("index"))));
		}
		catch (NotInCatalogException ex) {
			// the handler answers with the not-found page itself
		}
	}
}
