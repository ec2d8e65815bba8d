package dev.lumen.interop;

import dev.lumen.catalog.CatalogSaeRepository;
import dev.lumen.sae.NotInCatalogException;
import dev.lumen.sae.ResolvedSae;
import dev.lumen.sae.SaeDirectory;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * Neuronpedia's names → Lumen's: {@code modelId} is the Lumen model name; a source {@code "L-SET"} (e.g.
 * {@code 0-res-jb}) is the SAE named {@code L-SET} if there is one, else the SAE named {@code SET} whose hook is
 * in layer {@code L}.
 */
@Component
class NeuronpediaNames {

	private static final Pattern LAYERED = Pattern.compile("(\\d+)-(.+)");

	private final SaeDirectory directory;

	private final CatalogSaeRepository saes;

	NeuronpediaNames(SaeDirectory directory, CatalogSaeRepository saes) {
		this.directory = directory;
		this.saes = saes;
	}

	/** @throws NotInCatalogException (a 404) when neither reading names an SAE */
	ResolvedSae resolve(String modelId, String source) {
		if (this.saes.findByModelNameAndName(modelId, source).isPresent()) {
			return this.directory.resolve(modelId, source);
		}
		Matcher m = LAYERED.matcher(source);
		if (m.matches()) {
			var sae = this.saes.findByModelNameAndName(modelId, m.group(2));
			if (sae.isPresent() && sae.get().getHookLayer() == Integer.parseInt(m.group(1))) {
				return this.directory.resolve(modelId, m.group(2));
			}
		}
		throw new NotInCatalogException("No such source", "Model '" + modelId + "' has no SAE named '" + source
				+ "', nor one named after the layer prefix with its hook in that layer.", List.of());
	}

	/** @return the Neuronpedia source id of a Lumen SAE: its name if it starts with its layer, else "L-name" */
	static String sourceId(ResolvedSae sae) {
		String prefix = sae.sae().getHookLayer() + "-";
		return sae.saeName().startsWith(prefix) ? sae.saeName() : prefix + sae.saeName();
	}
}
