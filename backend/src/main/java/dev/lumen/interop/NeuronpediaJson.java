package dev.lumen.interop;

import dev.lumen.interop.DashboardBatch.Activation;
import dev.lumen.interop.DashboardBatch.Feature;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Neuronpedia's JSON shapes ({@code Neuron}, {@code Activation}, {@code Explanation}) for one feature. */
record NeuronpediaJson(String modelId, String layer, int index) {

	/** The Neuron's columns, from the SAEDashboard feature Lumen builds for exports. */
	Map<String, Object> neuron(Feature f, String hookName) {
		Map<String, Object> n = new LinkedHashMap<>();
		n.put("modelId", this.modelId);
		n.put("layer", this.layer);
		n.put("index", String.valueOf(this.index));
		n.put("sourceSetName", this.layer.replaceFirst("^\\d+-", ""));
		n.put("creatorId", null);
		n.put("hookName", hookName);
		n.put("maxActApprox", f.activations().stream().filter(Activation::isTop).mapToDouble(Activation::binMax).max()
			.orElse(0));
		Map<String, Object> asFile = DashboardBatchReader.JSON.convertValue(f, Map.class);
		for (String key : DashboardMapping.DETAIL_KEYS) {
			if (!List.of("n_prompts_total", "n_tokens_in_prompt", "dataset").contains(key)) {
				n.put(key, asFile.get(key) == null ? List.of() : asFile.get(key));
			}
		}
		for (String key : List.of("neg_str", "neg_values", "pos_str", "pos_values")) {
			n.put(key, asFile.get(key));
		}
		n.put("vector", List.of());
		n.put("vectorLabel", null);
		return n;
	}

	/** One Activation row. */
	Map<String, Object> activation(Activation a, int ordinal) {
		Map<String, Object> out = new LinkedHashMap<>();
		List<Double> values = a.values();
		int maxPos = a.qualifyingTokenIndex() != null ? a.qualifyingTokenIndex() : 0;
		out.put("id", this.modelId + "@" + this.layer + "@" + this.index + "@" + ordinal);
		out.put("modelId", this.modelId);
		out.put("layer", this.layer);
		out.put("index", String.valueOf(this.index));
		out.put("tokens", a.tokens());
		out.put("values", values);
		out.put("maxValue", values.stream().mapToDouble(Double::doubleValue).max().orElse(0));
		out.put("minValue", values.stream().mapToDouble(Double::doubleValue).min().orElse(0));
		out.put("maxValueTokenIndex", maxPos);
		out.put("qualifyingTokenIndex", a.qualifyingTokenIndex());
		out.put("binMin", a.binMin());
		out.put("binMax", a.binMax());
		out.put("binContains", a.binContains());
		out.put("dfaValues", a.dfaValues() == null ? List.of() : a.dfaValues());
		out.put("dfaMaxValue", a.dfaMaxValue());
		out.put("dfaTargetIndex", a.dfaTargetIndex());
		return out;
	}

	/** One Explanation row; Lumen's explainer becomes {@code explanationModelName}, its scores are kept. */
	Map<String, Object> explanation(long id, String label, String explainer, boolean heuristic, String scoresJson,
			OffsetDateTime created) {
		Map<String, Object> scores = DashboardBatchReader.JSON.readValue(scoresJson, Map.class);
		Map<String, Object> out = new LinkedHashMap<>();
		out.put("id", "lumen-" + id);
		out.put("modelId", this.modelId);
		out.put("layer", this.layer);
		out.put("index", String.valueOf(this.index));
		out.put("description", label);
		out.put("typeName", scores.getOrDefault("typeName", heuristic ? "lumen-heuristic" : "lumen-autointerp"));
		out.put("explanationModelName", scores.getOrDefault("explanationModelName",
				explainer.startsWith("neuronpedia:") ? explainer.substring("neuronpedia:".length()) : explainer));
		out.put("scoreV1", scores.get("scoreV1"));
		out.put("scoreV2", scores.get("scoreV2"));
		out.put("scores", scores);
		out.put("createdAt", created.toString());
		return out;
	}
}
