package dev.lumen.interop;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Neuronpedia export rows → {@link ImportedFeature}, through the SAEDashboard mapping they share. */
final class NeuronpediaMapping {

	/** Neuron columns kept in {@code detail.neuronpedia} (the decoder vector is not: weights come from --sae-dir). */
	private static final List<String> NEURON_EXTRA = List.of("maxActApprox", "sourceSetName", "hookName",
			"topkCosSimIndices", "topkCosSimValues", "vectorLabel", "umap_x", "umap_y", "umap_cluster",
			"umap_log_feature_sparsity");

	private NeuronpediaMapping() {
	}

	static ImportedFeature toImported(Map<String, Object> neuron, List<Map<String, Object>> activations,
			List<Map<String, Object>> explanations) {
		String dataset = activations.stream()
			.map(a -> (String) a.get("dataSource"))
			.filter(s -> s != null && !s.isEmpty())
			.findFirst()
			.orElse("neuronpedia");
		ImportedFeature f = DashboardMapping.toImported(NeuronpediaExport.asDashboardFeature(neuron, activations, dataset));
		Map<String, Object> extra = new LinkedHashMap<>();
		NEURON_EXTRA.forEach(k -> extra.put(k, neuron.get(k)));
		Map<String, Object> detail = new LinkedHashMap<>(f.detail());
		detail.put("neuronpedia", extra);
		List<ImportedFeature.Label> labels = explanations.stream().map(NeuronpediaMapping::label).toList();
		Float max = f.maxActivation() != null ? f.maxActivation()
				: neuron.get("maxActApprox") == null ? null : ((Number) neuron.get("maxActApprox")).floatValue();
		return new ImportedFeature(f.index(), f.density(), max, f.corpus(), f.examples(), f.histogramEdges(),
				f.histogramCounts(), f.positiveTokens(), f.positiveValues(), f.negativeTokens(), f.negativeValues(), detail,
				labels);
	}

	private static ImportedFeature.Label label(Map<String, Object> e) {
		Object model = e.get("explanationModelName") != null ? e.get("explanationModelName") : e.get("typeName");
		Map<String, Object> scores = new LinkedHashMap<>();
		for (String k : List.of("scoreV1", "scoreV2", "typeName", "explanationModelName", "authorId", "id")) {
			if (e.get(k) != null) {
				scores.put(k.equals("id") ? "neuronpedia_explanation_id" : k, e.get(k));
			}
		}
		String text = String.valueOf(e.get("description"));
		if (e.get("description") == null || text.isBlank()) {
			throw new InteropFormatException("explanation " + e.get("id") + " of feature " + e.get("index")
					+ " has no description");
		}
		return new ImportedFeature.Label(text.strip(), "neuronpedia:" + (model == null ? "unknown" : model), scores);
	}
}
