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

	/** SAEDashboard rounds every number to 3 decimals ({@code FeatureProcessor.round_list}). */
	static final double ROUNDING = 1.0e-3;

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

	/**
	 * Quantile bins, lowest first, numbered 0, 1, ...; bins that are exactly Lumen's own tenths of the max
	 * (a Lumen export) keep their interval numbers.
	 */
	private static Map<List<Double>, Integer> intervals(List<Activation> acts) {
		List<List<Double>> bins = acts.stream()
			.filter(a -> !a.isTop())
			.map(a -> List.of(a.binMin(), a.binMax()))
			.distinct()
			.sorted(Comparator.comparing((List<Double> b) -> b.get(1)).thenComparing(b -> b.get(0)))
			.toList();
		double max = acts.stream().filter(Activation::isTop).mapToDouble(Activation::binMax).max().orElse(0);
		Map<List<Double>, Integer> tenths = new LinkedHashMap<>();
		for (List<Double> b : bins) {
			long i = Math.round(b.get(0) / (max / 10));
			if (max <= 0 || i < 0 || i > 9 || !close(b.get(0), i * max / 10) || !close(b.get(1), (i + 1) * max / 10)) {
				tenths = null;
				break;
			}
			tenths.put(b, (int) i);
		}
		if (tenths != null) {
			return tenths;
		}
		Map<List<Double>, Integer> out = new LinkedHashMap<>();
		for (int i = 0; i < bins.size(); i++) {
			out.put(bins.get(i), i);
		}
		return out;
	}

	private static boolean close(double a, double b) {
		return Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(b));
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
		double ratio = centres.get(1) / centres.get(0);
		boolean geometric = centres.get(0) > 0 && ratio > 1;
		for (int i = 1; i < n && geometric; i++) {
			geometric = Math.abs(centres.get(i) / centres.get(i - 1) - ratio) <= 1e-4 * ratio;
		}
		if (geometric) {
			// log-spaced bins (Lumen's own): the centre of [e, e·r] is e·(1 + r)/2, so e = centre·2/(1 + r)
			for (int i = 0; i < n; i++) {
				edges[i] = (float) (centres.get(i) * 2 / (1 + ratio));
			}
			edges[n] = (float) (edges[n - 1] * ratio);
			return new float[][] { edges, counts };
		}
		double step = (centres.get(n - 1) - centres.get(0)) / (n - 1);
		boolean even = step > 0;
		for (int i = 1; i < n && even; i++) {
			even = Math.abs(centres.get(i) - centres.get(i - 1) - step) <= ROUNDING;
		}
		if (even) {
			// SAEDashboard's bins are evenly spaced and its centres rounded to 3 decimals: rebuild the even grid
			for (int i = 0; i <= n; i++) {
				edges[i] = (float) (centres.get(0) + (i - 0.5) * step);
			}
			return new float[][] { edges, counts };
		}
		// anything else: edges halfway between centres, the outer ones half a step out
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
