package dev.lumen.interop;

import dev.lumen.catalog.CatalogSae;
import dev.lumen.engine.sae.SaeFiles;
import dev.lumen.feature.FeatureRepository;
import dev.lumen.feature.FeatureStats;
import dev.lumen.feature.Histogram;
import dev.lumen.feature.StoredExample;
import dev.lumen.feature.TokenVocabulary;
import dev.lumen.interop.DashboardBatch.Activation;
import dev.lumen.interop.DashboardBatch.Feature;
import dev.lumen.sae.ResolvedSae;
import dev.lumen.sae.SaeDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * {@code lumen export neuronpedia}: an SAE's stored features as SAEDashboard batch files (the layout Neuronpedia's
 * upload reads) plus the SAE's SAELens {@code cfg.json} (and weights, when Lumen has them).
 */
@Service
public class NeuronpediaExporter {

	/** Features per batch file. */
	static final int FEATURES_PER_FILE = 128;

	private final SaeDirectory directory;

	private final FeatureRepository features;

	private final TokenVocabulary vocabulary;

	private final FeatureSources sources;

	private final JdbcTemplate jdbc;

	NeuronpediaExporter(SaeDirectory directory, FeatureRepository features, TokenVocabulary vocabulary,
			FeatureSources sources, JdbcTemplate jdbc) {
		this.directory = directory;
		this.features = features;
		this.vocabulary = vocabulary;
		this.sources = sources;
		this.jdbc = jdbc;
	}

	/** @return the number of features written */
	public int export(String modelName, String saeName, Path out, Consumer<String> progress) throws IOException {
		ResolvedSae sae = this.directory.resolve(modelName, saeName);
		List<Integer> indices = this.jdbc.queryForList("SELECT f.feature_index FROM feature f WHERE f.sae_id = ? AND "
				+ "(f.density IS NOT NULL OR EXISTS (SELECT 1 FROM feature_example e WHERE e.sae_id = f.sae_id "
				+ "AND e.feature_index = f.feature_index)) ORDER BY 1", Integer.class, sae.saeId());
		if (indices.isEmpty()) {
			throw new IllegalArgumentException("SAE '" + saeName + "' of model '" + modelName
					+ "' has no stored features to export (run lumen extract or an import first)");
		}
		Files.createDirectories(out);
		for (int from = 0, batch = 0; from < indices.size(); from += FEATURES_PER_FILE, batch++) {
			List<Feature> page = new ArrayList<>();
			for (int index : indices.subList(from, Math.min(indices.size(), from + FEATURES_PER_FILE))) {
				page.add(feature(sae, index));
			}
			DashboardBatch b = new DashboardBatch(modelName, sae.sae().getHookLayer(), saeName, page);
			Path file = out.resolve("batch-" + batch + ".json");
			Path tmp = out.resolve(file.getFileName() + ".tmp");
			Files.writeString(tmp, DashboardBatchReader.JSON.writeValueAsString(b));
			Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
			progress.accept(file.getFileName() + ": " + page.size() + " features");
		}
		writeSaeLens(sae.sae(), out);
		return indices.size();
	}

	private void writeSaeLens(CatalogSae sae, Path out) throws IOException {
		Map<String, Object> cfg = new LinkedHashMap<>(DashboardBatchReader.JSON.readValue(sae.getConfig(), Map.class));
		cfg.keySet().removeIf(k -> k.startsWith("lumen_weights"));
		cfg.putIfAbsent("d_in", sae.getDIn());
		cfg.putIfAbsent("d_sae", sae.getDSae());
		cfg.putIfAbsent("hook_name", sae.getHookName());
		cfg.putIfAbsent("architecture", sae.getArchitecture());
		Files.writeString(out.resolve(SaeFiles.CONFIG), DashboardBatchReader.JSON.writerWithDefaultPrettyPrinter()
			.writeValueAsString(cfg));
		Path weights = Path.of(sae.getSource()).resolve(SaeFiles.WEIGHTS);
		if (Files.isRegularFile(weights)) {
			Files.copy(weights, out.resolve(SaeFiles.WEIGHTS), StandardCopyOption.REPLACE_EXISTING);
		}
	}

	@SuppressWarnings("unchecked")
	Feature feature(ResolvedSae sae, int index) {
		FeatureStats stats = this.features.findStats(sae.saeId(), index).orElseThrow();
		Map<String, Object> detail = this.sources.find(sae.saeId(), index).map(FeatureSources.Source::detail).orElse(null);
		List<StoredExample> examples = this.features.findExamples(sae.saeId(), index);
		List<Activation> windows = detail != null ? windowsFromDetail(sae, examples, detail) : windows(sae, stats, examples);
		List<String> posStr = new ArrayList<>();
		List<Double> posValues = new ArrayList<>();
		List<String> negStr = new ArrayList<>();
		List<Double> negValues = new ArrayList<>();
		this.features.findLogitEffects(sae.saeId(), index).ifPresent(l -> {
			tokens(sae, l.topTokenIds(), l.topValues(), posStr, posValues);
			tokens(sae, l.bottomTokenIds(), l.bottomValues(), negStr, negValues);
		});
		Map<String, Object> d = detail != null ? detail : computedDetail(sae, stats, examples);
		return new Feature(index, (List<Integer>) d.get("neuron_alignment_indices"),
				(List<Double>) d.get("neuron_alignment_values"), (List<Double>) d.get("neuron_alignment_l1"),
				(List<Integer>) d.get("correlated_neurons_indices"), (List<Double>) d.get("correlated_neurons_l1"),
				(List<Double>) d.get("correlated_neurons_pearson"), (List<Integer>) d.get("correlated_features_indices"),
				(List<Double>) d.get("correlated_features_l1"), (List<Double>) d.get("correlated_features_pearson"), negStr,
				negValues, posStr, posValues, NeuronpediaExport.num(d.get("frac_nonzero")),
				NeuronpediaExport.doubles(d.get("freq_hist_data_bar_values")),
				NeuronpediaExport.doubles(d.get("freq_hist_data_bar_heights")),
				NeuronpediaExport.doubles(d.get("logits_hist_data_bar_heights")),
				NeuronpediaExport.doubles(d.get("logits_hist_data_bar_values")), (Integer) d.get("n_prompts_total"),
				(Integer) d.get("n_tokens_in_prompt"), (String) d.get("dataset"),
				NeuronpediaExport.doubles(d.get("decoder_weights_dist")), windows);
	}

	/** For features Lumen extracted: what SAEDashboard's keys mean, computed from Lumen's tables. */
	private Map<String, Object> computedDetail(ResolvedSae sae, FeatureStats stats, List<StoredExample> examples) {
		Map<String, Object> d = new LinkedHashMap<>();
		for (String key : DashboardMapping.DETAIL_KEYS) {
			d.put(key, List.of());
		}
		d.put("frac_nonzero", stats.density() == null ? 0.0 : exact(stats.density()));
		Histogram h = this.features.findHistogram(sae.saeId(), stats.featureIndex(), "activation").orElse(null);
		List<Double> centres = new ArrayList<>();
		List<Double> heights = new ArrayList<>();
		if (h != null) {
			for (int i = 0; i < h.counts().length; i++) {
				centres.add(exact((h.binEdges()[i] + h.binEdges()[i + 1]) / 2));
				heights.add((double) h.counts()[i]);
			}
		}
		d.put("freq_hist_data_bar_values", centres);
		d.put("freq_hist_data_bar_heights", heights);
		d.put("n_prompts_total", 0);
		d.put("n_tokens_in_prompt", 0);
		d.put("dataset", examples.isEmpty() ? "" : examples.get(0).corpus());
		return d;
	}

	/** Lumen's top examples are the top group; interval i is the bin (i·max/10, (i+1)·max/10]. */
	private List<Activation> windows(ResolvedSae sae, FeatureStats stats, List<StoredExample> examples) {
		double max = stats.maxActivation() == null ? 0 : exact(stats.maxActivation());
		List<Activation> out = new ArrayList<>();
		for (StoredExample e : examples) {
			if (e.kind().equals("zero")) {
				continue; // SAEDashboard has no group for them (docs/interop.md)
			}
			boolean top = e.kind().equals("top");
			out.add(new Activation(top ? -1.0 : e.intervalIndex() * max / 10, top ? max : (e.intervalIndex() + 1) * max / 10,
					top ? -1.0 : null, texts(sae, e.tokenIds()), values(e.activations()), e.maxPosition(), null, null, null));
		}
		return out;
	}

	@SuppressWarnings("unchecked")
	private List<Activation> windowsFromDetail(ResolvedSae sae, List<StoredExample> examples, Map<String, Object> detail) {
		Map<String, StoredExample> byKey = new LinkedHashMap<>();
		examples.forEach(e -> byKey.put(e.kind() + "/" + e.intervalIndex() + "/" + e.rank(), e));
		List<Activation> out = new ArrayList<>();
		for (Map<String, Object> w : (List<Map<String, Object>>) detail.get(DashboardMapping.WINDOWS)) {
			StoredExample e = byKey.get(w.get("kind") + "/" + w.get("interval") + "/" + w.get("rank"));
			out.add(new Activation(NeuronpediaExport.num(w.get("bin_min")), NeuronpediaExport.num(w.get("bin_max")),
					NeuronpediaExport.num(w.get("bin_contains")), texts(sae, e.tokenIds()), values(e.activations()),
					(Integer) w.get("qualifying_token_index"), NeuronpediaExport.doubles(w.get("dfa_values")),
					NeuronpediaExport.num(w.get("dfa_maxValue")), (Integer) w.get("dfa_targetIndex")));
		}
		return out;
	}

	private void tokens(ResolvedSae sae, int[] ids, float[] values, List<String> names, List<Double> out) {
		for (int i = 0; i < ids.length; i++) {
			names.add(this.vocabulary.text(sae.modelId(), ids[i]));
			out.add(exact(values[i]));
		}
	}

	private List<String> texts(ResolvedSae sae, int[] ids) {
		List<String> out = new ArrayList<>(ids.length);
		for (int id : ids) {
			out.add(this.vocabulary.text(sae.modelId(), id));
		}
		return out;
	}

	private static List<Double> values(float[] v) {
		List<Double> out = new ArrayList<>(v.length);
		for (float f : v) {
			out.add(exact(f));
		}
		return out;
	}

	/** The shortest decimal that reads back as this float, so a re-import stores the same float. */
	static double exact(float f) {
		return Double.parseDouble(Float.toString(f));
	}

	static double exact(double d) {
		return exact((float) d);
	}
}
