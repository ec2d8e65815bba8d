package dev.lumen.interop;

import dev.lumen.interop.DashboardBatch.Activation;
import dev.lumen.interop.DashboardBatch.Feature;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * SAEDashboard feature ⇄ Lumen's tables. The top-activation group becomes Lumen's top examples (file order =
 * rank); each quantile bin becomes one activation interval (lowest bin = interval 0); the bar centres of
 * {@code freq_hist_data} become bin edges halfway between centres. What has no column is kept in
 * {@code detail} under the file's own key names.
 */
final class DashboardMapping {

	/** Keys copied verbatim into {@code detail}, and written back verbatim on export. */
	static final List<String> DETAIL_KEYS = List.of("neuron_alignment_indices", "neuron_alignment_values",
			"neuron_alignment_l1", "correlated_neurons_indices", "correlated_neurons_l1", "correlated_neurons_pearson",
			"correlated_features_indices", "correlated_features_l1", "correlated_features_pearson", "frac_nonzero",
			"freq_hist_data_bar_values", "freq_hist_data_bar_heights", "logits_hist_data_bar_heights",
			"logits_hist_data_bar_values", "n_prompts_total", "n_tokens_in_prompt", "dataset", "decoder_weights_dist");

	/** Per-window keys kept in {@code detail.activations}, in file order, with where each window went. */
	static final String WINDOWS = "activations";

	private DashboardMapping() {
	}

	static ImportedFeature toImported(Feature f) {
		Map<String, Object> detail = new LinkedHashMap<>();
		Map<String, Object> asMap = DashboardBatchReader.JSON.convertValue(f, Map.class);
		for (String key : DETAIL_KEYS) {
			detail.put(key, asMap.get(key));
		}
		List<ImportedFeature.Example> examples = new ArrayList<>();
		List<Map<String, Object>> windows = new ArrayList<>();
		Map<List<Double>, Integer> intervalOf = intervals(f.activations());
		Map<Integer, Integer> nextRank = new TreeMap<>();
		Float max = null;
		for (Activation a : f.activations()) {
			String kind = a.isTop() ? "top" : "interval";
			int interval = a.isTop() ? 0 : intervalOf.get(List.of(a.binMin(), a.binMax()));
			int rank = nextRank.merge(a.isTop() ? -1 : interval, 1, Integer::sum) - 1;
			float[] values = floats(a.values());
			int maxPos = a.qualifyingTokenIndex() != null ? a.qualifyingTokenIndex() : argmax(values);
			examples.add(new ImportedFeature.Example(kind, interval, rank, a.tokens(), values, maxPos));
			if (a.isTop()) {
				max = max == null ? a.binMax().floatValue() : Math.max(max, a.binMax().floatValue());
			}
			Map<String, Object> w = new LinkedHashMap<>();
			w.put("kind", kind);
			w.put("interval", interval);
			w.put("rank", rank);
			w.put("bin_min", a.binMin());
			w.put("bin_max", a.binMax());
			w.put("bin_contains", a.binContains());
			w.put("qualifying_token_index", a.qualifyingTokenIndex());
			w.put("dfa_values", a.dfaValues());
			w.put("dfa_maxValue", a.dfaMaxValue());
			w.put("dfa_targetIndex", a.dfaTargetIndex());
			windows.add(w);
		}
		detail.put(WINDOWS, windows);
		float[][] hist = histogram(f.freqHistBarValues(), f.freqHistBarHeights());
		return new ImportedFeature(f.featureIndex(), f.fracNonzero() == null ? null : f.fracNonzero().floatValue(), max,
				f.dataset() == null || f.dataset().isEmpty() ? "saedashboard" : f.dataset(), examples,
				hist == null ? null : hist[0], hist == null ? null : longs(hist[1]), orEmpty(f.posStr()),
				floats(f.posValues()), orEmpty(f.negStr()), floats(f.negValues()), detail, List.of());
	}

	/** Quantile bins, lowest first, numbered 0, 1, ... */
	private static Map<List<Double>, Integer> intervals(List<Activation> acts) {
		List<List<Double>> bins = acts.stream()
			.filter(a -> !a.isTop())
			.map(a -> List.of(a.binMin(), a.binMax()))
			.distinct()
			.sorted(Comparator.comparing((List<Double> b) -> b.get(1)).thenComparing(b -> b.get(0)))
			.toList();
		Map<List<Double>, Integer> out = new LinkedHashMap<>();
		for (int i = 0; i < bins.size(); i++) {
			out.put(bins.get(i), i);
		}
		return out;
	}

	/**
	 * Bar centres to edges halfway between neighbours (the outer edges half a spacing out). Returns null for
	 * fewer than two bars or counts that are not whole numbers: then only {@code detail} keeps the histogram.
	 */
	static float[][] histogram(List<Double> centres, List<Double> heights) {
		if (centres == null || centres.size() < 2) {
			return null;
		}
		int n = centres.size();
		float[] edges = new float[n + 1];
		float[] counts = new float[n];
		for (int i = 0; i < n; i++) {
			double h = heights.get(i);
			if (h != Math.rint(h) || h < 0) {
				return null;
			}
			counts[i] = (float) h;
		}
		edges[0] = (float) (centres.get(0) - (centres.get(1) - centres.get(0)) / 2);
		for (int i = 1; i < n; i++) {
			edges[i] = (float) ((centres.get(i - 1) + centres.get(i)) / 2);
		}
		edges[n] = (float) (centres.get(n - 1) + (centres.get(n - 1) - centres.get(n - 2)) / 2);
		return new float[][] { edges, counts };
	}

	static float[] floats(List<Double> values) {
		if (values == null) {
			return new float[0];
		}
		float[] out = new float[values.size()];
		for (int i = 0; i < out.length; i++) {
			out[i] = values.get(i).floatValue();
		}
		return out;
	}

	private static long[] longs(float[] v) {
		long[] out = new long[v.length];
		for (int i = 0; i < v.length; i++) {
			out[i] = (long) v[i];
		}
		return out;
	}

	private static int argmax(float[] v) {
		int best = 0;
		for (int i = 1; i < v.length; i++) {
			if (v[i] > v[best]) {
				best = i;
			}
		}
		return best;
	}

	private static List<String> orEmpty(List<String> s) {
		return s == null ? List.of() : s;
	}
}
