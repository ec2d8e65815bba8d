package dev.lumen.sae;

import dev.lumen.catalog.CatalogModel;
import dev.lumen.catalog.CatalogModelRepository;
import dev.lumen.catalog.CatalogSae;
import dev.lumen.catalog.CatalogSaeRepository;
import dev.lumen.sae.NotInCatalogException.Suggestion;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Finds SAEs by their URL slugs; unknown names become a {@link NotInCatalogException} listing what exists. */
@Service
public class SaeDirectory {

	/** Feature indices parse as plain decimal numbers, nothing else. */
	private static final java.util.regex.Pattern INDEX = java.util.regex.Pattern.compile("[0-9]{1,10}");

	private final CatalogModelRepository models;

	private final CatalogSaeRepository saes;

	public SaeDirectory(CatalogModelRepository models, CatalogSaeRepository saes) {
		this.models = models;
		this.saes = saes;
	}

	/**
	 * @return the SAE {@code saeName} of model {@code modelName}, with its model loaded
	 * @throws NotInCatalogException when either is unknown
	 */
	@Transactional(readOnly = true)
	public ResolvedSae resolve(String modelName, String saeName) {
		CatalogModel model = this.models.findByName(modelName)
			.orElseThrow(() -> new NotInCatalogException("Unknown model",
					"There is no model called \u201c" + modelName + "\u201d.", modelSuggestions()));
		CatalogSae sae = this.saes.findByModelNameAndName(modelName, saeName)
			.orElseThrow(() -> new NotInCatalogException("Unknown SAE", "Model " + model.getName()
					+ " has no SAE called \u201c" + saeName + "\u201d.", saeSuggestions(model)));
		return new ResolvedSae(model.getId(), model.getName(), model.getDisplayName(), sae);
	}

	/**
	 * @return the feature index written in a URL, checked against the SAE's width
	 * @throws NotInCatalogException when it is not a number in {@code [0, d_sae)}
	 */
	public int featureIndex(ResolvedSae sae, String index) {
		int dSae = sae.sae().getDSae();
		if (index == null || !INDEX.matcher(index).matches() || Long.parseLong(index) >= dSae) {
			throw new NotInCatalogException("No such feature", "\u201c" + index + "\u201d is not a feature of SAE "
					+ sae.saeName() + ": feature indices run from 0 to " + (dSae - 1) + ".",
					List.of(new Suggestion("SAE " + sae.saeName() + " overview", sae.href()),
							new Suggestion("Feature 0", sae.href() + "/0"),
							new Suggestion("A random feature", sae.href() + "/random")));
		}
		return Integer.parseInt(index);
	}

	/** @return the other SAEs on the same model and hook (the same stream at other widths) */
	@Transactional(readOnly = true)
	public List<ResolvedSae> siblings(ResolvedSae sae) {
		return this.saes.findByModelIdAndHookNameAndIdNot(sae.modelId(), sae.sae().getHookName(), sae.sae().getId())
			.stream()
			.map(s -> new ResolvedSae(sae.modelId(), sae.modelName(), sae.modelDisplayName(), s))
			.sorted(java.util.Comparator.comparingInt((ResolvedSae s) -> s.sae().getDSae()).thenComparing(ResolvedSae::saeName))
			.toList();
	}

	/** @return every SAE of every model, in display order */
	@Transactional(readOnly = true)
	public List<ResolvedSae> all() {
		List<ResolvedSae> out = new ArrayList<>();
		for (CatalogModel m : this.models.findAllByOrderByName()) {
			for (CatalogSae s : this.saes.findByModelInDisplayOrder(m.getId())) {
				out.add(new ResolvedSae(m.getId(), m.getName(), m.getDisplayName(), s));
			}
		}
		return out;
	}

	private List<Suggestion> modelSuggestions() {
		List<Suggestion> out = new ArrayList<>();
		for (CatalogModel m : this.models.findAllByOrderByName()) {
			for (CatalogSae s : this.saes.findByModelInDisplayOrder(m.getId())) {
				out.add(new Suggestion(m.getName() + " / " + s.getName(), "/" + m.getName() + "/" + s.getName()));
			}
		}
		out.add(new Suggestion("All models and SAEs", "/"));
		return out;
	}

	private List<Suggestion> saeSuggestions(CatalogModel model) {
		List<Suggestion> out = new ArrayList<>();
		for (CatalogSae s : this.saes.findByModelInDisplayOrder(model.getId())) {
			out.add(new Suggestion(model.getName() + " / " + s.getName() + " (" + s.getHookName() + ", d_sae "
					+ s.getDSae() + ")", "/" + model.getName() + "/" + s.getName()));
		}
		out.add(new Suggestion("All models and SAEs", "/"));
		return out;
	}
}
