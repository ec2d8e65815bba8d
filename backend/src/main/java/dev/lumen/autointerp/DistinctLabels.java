package dev.lumen.autointerp;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * Makes offline labels of one SAE distinct: when two features would get the same label, each gets a qualifier that
 * says how it differs from the others: the token that most often comes before its peak, a word near its peak, or
 * the lead-in of its strongest example. A label is never told apart by its index alone.
 */
final class DistinctLabels {

	/** Tokens of lead-in quoted from the strongest example, tried in this order until the labels differ. */
	private static final int[] LEAD_IN = { 3, 6 };

	private DistinctLabels() {
	}

	/**
	 * @param planned new labels by feature index
	 * @param taken labels other features of the SAE already show (these are not changed)
	 * @param examples loads a feature's examples (only features whose label collides are loaded)
	 * @return the planned labels, colliding ones qualified
	 */
	static Map<Integer, Explanation> resolve(Map<Integer, Explanation> planned, Set<String> taken,
			IntFunction<FeatureExamples> examples) {
		Map<String, List<Integer>> byLabel = new LinkedHashMap<>();
		planned.forEach((index, e) -> byLabel.computeIfAbsent(e.label(), l -> new ArrayList<>()).add(index));
		Map<Integer, Explanation> result = new LinkedHashMap<>(planned);
		Set<String> used = new HashSet<>(taken);
		used.addAll(byLabel.keySet());
		for (Map.Entry<String, List<Integer>> group : byLabel.entrySet()) {
			if (group.getValue().size() == 1 && !taken.contains(group.getKey())) {
				continue;
			}
			used.remove(group.getKey());
			Map<Integer, String> qualified = qualify(group.getKey(), group.getValue(), examples, used);
			qualified.forEach((index, label) -> {
				Explanation old = planned.get(index);
				result.put(index, new Explanation(label, old.description() + " Label qualified because " + (group.getValue().size() - 1)
						+ " other feature(s) of this SAE would share the label " + group.getKey() + ".", old.explainer(), old.heuristic()));
				used.add(label);
			});
		}
		return result;
	}

	private static Map<Integer, String> qualify(String label, List<Integer> features, IntFunction<FeatureExamples> load,
			Set<String> used) {
		Map<Integer, List<String>> candidates = new HashMap<>();
		for (int index : features) {
			candidates.put(index, qualifiers(load.apply(index)));
		}
		Map<Integer, String> out = new LinkedHashMap<>();
		Set<String> inGroup = new HashSet<>();
		for (int index : features) {
			String chosen = null;
			for (String q : candidates.get(index)) {
				String candidate = label + " (" + q + ")";
				if (!used.contains(candidate) && !inGroup.contains(candidate) && !sharedByOthers(q, index, candidates)) {
					chosen = candidate;
					break;
				}
			}
			if (chosen == null) {
				// every qualifier is shared: fall back to the first one plus how strongly it fires there
				chosen = label + " (" + candidates.get(index).get(candidates.get(index).size() - 1) + ", variant "
						+ (inGroup.size() + 1) + ")";
			}
			inGroup.add(chosen);
			out.put(index, chosen);
		}
		return out;
	}

	private static boolean sharedByOthers(String q, int index, Map<Integer, List<String>> candidates) {
		return candidates.entrySet().stream().anyMatch(e -> e.getKey() != index && e.getValue().contains(q));
	}

	/** What distinguishes a feature, most telling first; never empty for a feature that fired. */
	static List<String> qualifiers(FeatureExamples examples) {
		PeakPatterns p = new PeakPatterns(examples);
		List<String> q = new ArrayList<>();
		Map.Entry<String, Double> before = p.commonestBeforePeak();
		if (before != null && before.getValue() >= 0.3 && p.beforeCounts.get(before.getKey()) >= 2) {
			q.add("mostly after " + HeuristicExplainer.quote(p.shown.get(before.getKey())));
		}
		for (String word : p.contextWords(examples.zero())) {
			q.add("near " + word);
		}
		ExampleWindow strongest = p.active.stream().max((a, b) -> Float.compare(a.maxActivation(), b.maxActivation()))
			.orElse(null);
		if (strongest != null && strongest.peakPosition() > 0) {
			for (int n : LEAD_IN) {
				q.add("strongest in " + HeuristicExplainer.quote(leadIn(strongest, n)));
			}
		}
		if (q.isEmpty()) {
			q.add("fires on " + p.peaks + " stored examples");
		}
		return q;
	}

	/** Up to {@code n} tokens before the peak and the peak token, as text. */
	static String leadIn(ExampleWindow w, int n) {
		int peak = w.peakPosition();
		StringBuilder s = new StringBuilder(peak - n > 1 ? "…" : "");
		for (int t = Math.max(1, peak - n); t <= peak; t++) {
			s.append(w.tokens().get(t).replace("\n", "⏎"));
		}
		return s.toString().strip();
	}
}
