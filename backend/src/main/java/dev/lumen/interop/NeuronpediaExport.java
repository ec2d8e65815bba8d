package dev.lumen.interop;

import dev.lumen.interop.DashboardBatch.Activation;
import dev.lumen.interop.DashboardBatch.Feature;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import tools.jackson.core.JacksonException;

/**
 * A Neuronpedia dataset export of one source ({@code exports/{modelId}/{sourceId}/} as
 * {@code utils/neuronpedia-utils/neuronpedia_utils/export-data.py} writes it): {@code features/},
 * {@code activations/} and {@code explanations/} folders of {@code batch-N.jsonl.gz} files, one JSON object a
 * line, whose keys are the columns of Neuronpedia's {@code Neuron}, {@code Activation} and {@code Explanation}
 * tables. Keys outside those tables are refused.
 */
record NeuronpediaExport(String modelId, String sourceId, List<Batch> batches) {

	/** Features imported in one transaction. */
	static final int FEATURES_PER_BATCH = 256;

	/** A chunk of features; {@code file} names the export for messages, {@code contentId} identifies the chunk. */
	record Batch(Path file, String contentId, List<ImportedFeature> features) {
	}

	static final Set<String> NEURON_KEYS = Set.of("modelId", "layer", "index", "maxActApprox", "creatorId", "createdAt",
			"sourceSetName", "hasVector", "vector", "vectorLabel", "vectorDefaultSteerStrength", "hookName",
			"topkCosSimIndices", "topkCosSimValues", "neuron_alignment_indices", "neuron_alignment_values",
			"neuron_alignment_l1", "correlated_neurons_indices", "correlated_neurons_pearson", "correlated_neurons_l1",
			"correlated_features_indices", "correlated_features_pearson", "correlated_features_l1", "neg_str",
			"neg_values", "pos_str", "pos_values", "frac_nonzero", "freq_hist_data_bar_heights",
			"freq_hist_data_bar_values", "logits_hist_data_bar_heights", "logits_hist_data_bar_values",
			"decoder_weights_dist", "umap_cluster", "umap_log_feature_sparsity", "umap_x", "umap_y");

	static final Set<String> ACTIVATION_KEYS = Set.of("id", "tokens", "dataIndex", "index", "layer", "modelId",
			"dataSource", "maxValue", "maxValueTokenIndex", "minValue", "values", "dfaValues", "dfaTargetIndex",
			"dfaMaxValue", "zQIndices", "zKIndices", "zValues", "creatorId", "createdAt", "lossValues",
			"logitContributions", "binMin", "binMax", "binContains", "qualifyingTokenIndex");

	static final Set<String> EXPLANATION_KEYS = Set.of("id", "modelId", "layer", "index", "embedding", "description",
			"authorId", "triggeredByUserId", "notes", "scoreV1", "scoreV2", "umap_x", "umap_y", "umap_cluster",
			"umap_log_feature_sparsity", "typeName", "explanationModelName", "createdAt", "updatedAt");

	/** Reads and checks a whole export directory. */
	static NeuronpediaExport read(Path dir) {
		if (!Files.isDirectory(dir.resolve("features"))) {
			throw new InteropFormatException(dir + " is not a Neuronpedia export: it has no features/ folder "
					+ "(expected features/, activations/, explanations/ with batch-N.jsonl.gz files)");
		}
		Map<Integer, Map<String, Object>> neurons = new TreeMap<>();
		Map<Integer, List<Map<String, Object>>> activations = new TreeMap<>();
		Map<Integer, List<Map<String, Object>>> explanations = new TreeMap<>();
		StringBuilder content = new StringBuilder();
		String[] ids = { null, null };
		for (Path f : files(dir.resolve("features"))) {
			content.append(InteropImporter.sha256(f));
			for (Map<String, Object> row : rows(f, NEURON_KEYS)) {
				ids[0] = same(f, "modelId", ids[0], row.get("modelId"));
				ids[1] = same(f, "layer", ids[1], row.get("layer"));
				if (neurons.put(index(f, row), row) != null) {
					throw new InteropFormatException(f + ": feature " + row.get("index") + " appears twice");
				}
			}
		}
		for (String folder : List.of("activations", "explanations")) {
			for (Path f : files(dir.resolve(folder))) {
				content.append(InteropImporter.sha256(f));
				for (Map<String, Object> row : rows(f, folder.equals("activations") ? ACTIVATION_KEYS : EXPLANATION_KEYS)) {
					int index = index(f, row);
					if (!neurons.containsKey(index)) {
						throw new InteropFormatException(f + ": " + folder + " of feature " + index
								+ ", which features/ does not have");
					}
					(folder.equals("activations") ? activations : explanations).computeIfAbsent(index, k -> new ArrayList<>())
						.add(row);
				}
			}
		}
		if (neurons.isEmpty()) {
			throw new InteropFormatException(dir + "/features holds no features");
		}
		String exportId = Integer.toHexString(content.toString().hashCode());
		List<Batch> batches = new ArrayList<>();
		List<ImportedFeature> chunk = new ArrayList<>();
		for (var e : neurons.entrySet()) {
			chunk.add(NeuronpediaMapping.toImported(e.getValue(), activations.getOrDefault(e.getKey(), List.of()),
					explanations.getOrDefault(e.getKey(), List.of())));
			if (chunk.size() == FEATURES_PER_BATCH) {
				batches.add(new Batch(dir, exportId + "-" + batches.size(), chunk));
				chunk = new ArrayList<>();
			}
		}
		if (!chunk.isEmpty()) {
			batches.add(new Batch(dir, exportId + "-" + batches.size(), chunk));
		}
		return new NeuronpediaExport(ids[0], ids[1], batches);
	}

	private static List<Path> files(Path folder) {
		if (!Files.isDirectory(folder)) {
			return List.of();
		}
		try (Stream<Path> s = Files.list(folder)) {
			return s.filter(p -> p.getFileName().toString().matches("batch-\\d+\\.jsonl(\\.gz)?"))
				.sorted(Comparator.comparingInt(p -> Integer.parseInt(p.getFileName().toString().replaceAll("\\D", ""))))
				.toList();
		}
		catch (IOException ex) {
			throw new InteropFormatException("cannot list " + folder + ": " + ex.getMessage(), ex);
		}
	}

	@SuppressWarnings("unchecked")
	private static List<Map<String, Object>> rows(Path file, Set<String> known) {
		List<Map<String, Object>> out = new ArrayList<>();
		int line = 0;
		try (InputStream raw = Files.newInputStream(file);
				InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw;
				BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
			for (String text; (text = r.readLine()) != null;) {
				line++;
				if (text.isBlank()) {
					continue;
				}
				Map<String, Object> row;
				try {
					row = DashboardBatchReader.JSON.readValue(text, LinkedHashMap.class);
				}
				catch (JacksonException ex) {
					throw new InteropFormatException(file + " line " + line + " is not a complete JSON object (truncated "
							+ "or malformed): " + ex.getOriginalMessage(), ex);
				}
				for (String key : row.keySet()) {
					if (!known.contains(key)) {
						throw new InteropFormatException(file + " line " + line + ": unknown key '" + key
								+ "'; Neuronpedia's table has " + new java.util.TreeSet<>(known));
					}
				}
				out.add(row);
			}
		}
		catch (ZipException | java.io.EOFException ex) {
			throw new InteropFormatException(file + " is not a complete gzip file (truncated or corrupt after line "
					+ line + "): " + ex.getMessage(), ex);
		}
		catch (IOException ex) {
			throw new InteropFormatException("cannot read " + file + ": " + ex.getMessage(), ex);
		}
		return out;
	}

	private static int index(Path file, Map<String, Object> row) {
		Object v = row.get("index");
		try {
			int i = Integer.parseInt(String.valueOf(v));
			if (i >= 0) {
				return i;
			}
		}
		catch (NumberFormatException ex) {
			// reported below
		}
		throw new InteropFormatException(file + ": 'index' must be a feature number, found " + v);
	}

	private static String same(Path file, String key, String seen, Object value) {
		if (value == null) {
			throw new InteropFormatException(file + ": a row lacks '" + key + "'");
		}
		String v = String.valueOf(value);
		if (seen != null && !seen.equals(v)) {
			throw new InteropFormatException(file + ": rows of two sources (" + key + " " + seen + " and " + v
					+ "); an export directory holds one source");
		}
		return v;
	}

	/** Builds an SAEDashboard feature from a Neuron row and its Activation rows, for {@link DashboardMapping}. */
	static Feature asDashboardFeature(Map<String, Object> n, List<Map<String, Object>> acts, String dataset) {
		List<Activation> windows = acts.stream()
			.sorted(Comparator.comparing((Map<String, Object> a) -> num(a.get("binMin")) == null ? -1 : num(a.get("binMin")))
				.thenComparing(a -> -num(a.get("maxValue"))))
			.map(a -> new Activation(num(a.get("binMin")) == null ? -1.0 : num(a.get("binMin")),
					num(a.get("binMax")) == null ? num(a.get("maxValue")) : num(a.get("binMax")), num(a.get("binContains")),
					strings(a.get("tokens")), doubles(a.get("values")), (Integer) a.get("maxValueTokenIndex"),
					doubles(a.get("dfaValues")), num(a.get("dfaMaxValue")), (Integer) a.get("dfaTargetIndex")))
			.toList();
		return new Feature(Integer.parseInt(String.valueOf(n.get("index"))), ints(n.get("neuron_alignment_indices")),
				doubles(n.get("neuron_alignment_values")), doubles(n.get("neuron_alignment_l1")),
				ints(n.get("correlated_neurons_indices")), doubles(n.get("correlated_neurons_l1")),
				doubles(n.get("correlated_neurons_pearson")), ints(n.get("correlated_features_indices")),
				doubles(n.get("correlated_features_l1")), doubles(n.get("correlated_features_pearson")),
				strings(n.get("neg_str")), doubles(n.get("neg_values")), strings(n.get("pos_str")),
				doubles(n.get("pos_values")), num(n.get("frac_nonzero")), doubles(n.get("freq_hist_data_bar_values")),
				doubles(n.get("freq_hist_data_bar_heights")), doubles(n.get("logits_hist_data_bar_heights")),
				doubles(n.get("logits_hist_data_bar_values")), null, null, dataset, doubles(n.get("decoder_weights_dist")),
				windows);
	}

	static Double num(Object o) {
		return o == null ? null : ((Number) o).doubleValue();
	}

	@SuppressWarnings("unchecked")
	static List<Double> doubles(Object o) {
		return o == null ? null : ((List<Number>) o).stream().map(Number::doubleValue).toList();
	}

	@SuppressWarnings("unchecked")
	static List<Integer> ints(Object o) {
		return o == null ? null : ((List<Number>) o).stream().map(Number::intValue).toList();
	}

	@SuppressWarnings("unchecked")
	static List<String> strings(Object o) {
		return o == null ? null : (List<String>) o;
	}
}
