package dev.lumen.interop;

import dev.lumen.feature.ActivationProbe;
import dev.lumen.feature.FeatureService;
import dev.lumen.feature.LinkedFeature;
import dev.lumen.feature.PromptActivations;
import dev.lumen.feature.TokenVocabulary;
import dev.lumen.interop.DashboardBatch.Activation;
import dev.lumen.interop.DashboardBatch.Feature;
import dev.lumen.sae.ResolvedSae;
import dev.lumen.sae.SaeDirectory;
import dev.lumen.search.LabelMatch;
import dev.lumen.search.LabelSearchRepository;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Neuronpedia's read API over Lumen's catalog, with the JSON keys Neuronpedia's clients read (docs/interop.md
 * has the mapping of {@code modelId}/{@code source} to Lumen's names).
 */
@RestController
@Tag(name = "neuronpedia-compatible")
class NeuronpediaApiController {

	/** Explanation search results per page, as Neuronpedia pages them. */
	static final int PAGE = 20;

	private final NeuronpediaNames names;

	private final NeuronpediaExporter exporter;

	private final FeatureService features;

	private final TokenVocabulary vocabulary;

	private final ActivationProbe probe;

	private final LabelSearchRepository labels;

	private final SaeDirectory directory;

	private final JdbcTemplate jdbc;

	NeuronpediaApiController(NeuronpediaNames names, NeuronpediaExporter exporter, FeatureService features,
			TokenVocabulary vocabulary, ActivationProbe probe, LabelSearchRepository labels, SaeDirectory directory,
			JdbcTemplate jdbc) {
		this.names = names;
		this.exporter = exporter;
		this.features = features;
		this.vocabulary = vocabulary;
		this.probe = probe;
		this.labels = labels;
		this.directory = directory;
		this.jdbc = jdbc;
	}

	@GetMapping("/api/feature/{modelId}/{source}/{index}")
	@Operation(summary = "Neuronpedia GET /api/feature/{modelId}/{layer}/{index}: a feature as a Neuron with its "
			+ "activations and explanations")
	Map<String, Object> showFeature(@PathVariable String modelId, @PathVariable String source, @PathVariable String index) {
		ResolvedSae sae = this.names.resolve(modelId, source);
		int i = this.directory.featureIndex(sae, index);
		this.features.stats(sae, i); // 404 when nothing is stored
		Feature f = this.exporter.feature(sae, i);
		NeuronpediaJson json = new NeuronpediaJson(modelId, NeuronpediaNames.sourceId(sae), i);
		Map<String, Object> neuron = json.neuron(f, sae.sae().getHookName());
		List<LinkedFeature> near = this.features.neighbours(sae, i);
		neuron.put("topkCosSimIndices", near.stream().map(LinkedFeature::index).toList());
		neuron.put("topkCosSimValues", near.stream().map(LinkedFeature::score).toList());
		neuron.put("hasVector", this.jdbc.queryForObject("SELECT EXISTS (SELECT 1 FROM feature_decoder WHERE sae_id = ? "
				+ "AND feature_index = ?)", Boolean.class, sae.saeId(), i));
		List<Map<String, Object>> acts = new ArrayList<>();
		for (Activation a : f.activations()) {
			acts.add(json.activation(a, acts.size()));
		}
		neuron.put("activations", acts);
		neuron.put("explanations", explanations(sae, json, i));
		return neuron;
	}

	/** Neuronpedia's explanation search request. */
	record SearchRequest(String modelId, List<String> layers, String query, Integer offset) {
	}

	@PostMapping(path = "/api/explanation/search", consumes = "application/json")
	@Operation(summary = "Neuronpedia POST /api/explanation/search: features whose newest label matches the query")
	Map<String, Object> searchExplanations(@RequestBody SearchRequest request) {
		if (request == null || request.query() == null || request.query().isBlank() || request.modelId() == null) {
			throw new IllegalArgumentException("send {\"modelId\": ..., \"layers\": [...], \"query\": ...}");
		}
		List<Long> saeIds = request.layers() == null || request.layers().isEmpty() ? null
				: request.layers().stream().map(l -> this.names.resolve(request.modelId(), l).saeId()).toList();
		int offset = request.offset() == null ? 0 : Math.max(0, request.offset());
		List<Map<String, Object>> results = new ArrayList<>();
		List<LabelMatch> matches = this.labels.search(request.query().strip(), null, 1000, 0)
			.stream()
			.filter(m -> m.modelName().equals(request.modelId()))
			.filter(m -> saeIds == null || saeIds.contains(this.directory.resolve(m.modelName(), m.saeName()).saeId()))
			.toList();
		for (LabelMatch m : matches.subList(Math.min(offset, matches.size()), Math.min(offset + PAGE, matches.size()))) {
			ResolvedSae sae = this.directory.resolve(m.modelName(), m.saeName());
			Map<String, Object> r = new LinkedHashMap<>();
			r.put("modelId", m.modelName());
			r.put("layer", NeuronpediaNames.sourceId(sae));
			r.put("index", String.valueOf(m.featureIndex()));
			r.put("description", m.label());
			r.put("cosine_similarity", m.score());
			r.put("neuron", Map.of("modelId", m.modelName(), "layer", NeuronpediaNames.sourceId(sae), "index",
					String.valueOf(m.featureIndex())));
			results.add(r);
		}
		Map<String, Object> out = new LinkedHashMap<>();
		out.put("request", request);
		out.put("results", results);
		out.put("resultsCount", matches.size());
		out.put("hasMore", offset + PAGE < matches.size());
		out.put("nextOffset", offset + PAGE);
		return out;
	}

	/** Neuronpedia's request for one feature's activations on a text. */
	record ActivationRequest(FeatureRef feature, String customText) {

		record FeatureRef(String modelId, String source, Object index) {
		}
	}

	@PostMapping(path = "/api/activation/new", consumes = "application/json")
	@Operation(summary = "Neuronpedia POST /api/activation/new: one feature's activation on every token of a text")
	Map<String, Object> activationsForText(@RequestBody ActivationRequest request) {
		if (request == null || request.feature() == null || request.customText() == null
				|| request.feature().index() == null) {
			throw new IllegalArgumentException("send {\"feature\": {\"modelId\", \"source\", \"index\"}, \"customText\"}");
		}
		ResolvedSae sae = this.names.resolve(request.feature().modelId(), request.feature().source());
		int i = this.directory.featureIndex(sae, String.valueOf(request.feature().index()));
		PromptActivations acts = this.probe.activations(sae, request.customText());
		float[] column = acts.feature(i); // [pos]
		List<String> tokens = new ArrayList<>();
		List<Double> values = new ArrayList<>();
		int maxPos = 0;
		for (int p = 0; p < column.length; p++) {
			tokens.add(this.vocabulary.text(sae.modelId(), acts.tokenIds()[p]));
			values.add(NeuronpediaExporter.exact(column[p]));
			maxPos = column[p] > column[maxPos] ? p : maxPos;
		}
		Map<String, Object> out = new LinkedHashMap<>();
		out.put("tokens", tokens);
		out.put("values", values);
		out.put("maxValue", NeuronpediaExporter.exact(column[maxPos]));
		out.put("maxValueTokenIndex", maxPos);
		out.put("minValue", values.stream().mapToDouble(Double::doubleValue).min().orElse(0));
		out.put("modelId", request.feature().modelId());
		out.put("layer", NeuronpediaNames.sourceId(sae));
		out.put("index", String.valueOf(i));
		return out;
	}

	private List<Map<String, Object>> explanations(ResolvedSae sae, NeuronpediaJson json, int index) {
		return this.jdbc.query("SELECT id, label, explainer, is_heuristic, scores::text, created_at FROM feature_label "
				+ "WHERE sae_id = ? AND feature_index = ? ORDER BY created_at DESC, id DESC", (rs, n) -> json.explanation(
						rs.getLong(1), rs.getString(2), rs.getString(3), rs.getBoolean(4), rs.getString(5),
						rs.getObject(6, java.time.OffsetDateTime.class)), sae.saeId(), index);
	}
}
