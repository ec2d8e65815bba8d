package dev.lumen.map;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A label per cluster drawn from its features' labels: the words that are most frequent in the cluster
 * relative to the other clusters (term frequency times inverse cluster frequency), three at most.
 */
public final class ClusterLabels {

	private static final Pattern WORD = Pattern.compile("[\\p{L}][\\p{L}\\p{N}'-]{2,}");

	private static final Set<String> STOP = Set.of("the", "and", "for", "with", "that", "this", "from", "are", "was",
			"its", "into", "after", "before", "about", "like", "such", "fires", "feature", "token", "tokens", "words",
			"word", "text", "which", "when", "where", "other", "some", "any", "not", "but", "has", "have", "ending",
			"end", "of", "on", "in", "or", "an");

	static final int WORDS = 3;

	private ClusterLabels() {
	}

	/**
	 * @param labels {@code [n]} each point's label text, or null when it has none
	 * @return one label per cluster, "" when none of its features has a label
	 */
	public static List<String> of(int[] assignment, int clusters, String[] labels) {
		List<Map<String, Integer>> counts = new ArrayList<>();
		for (int c = 0; c < clusters; c++) {
			counts.add(new HashMap<>());
		}
		for (int i = 0; i < assignment.length; i++) {
			if (labels[i] != null) {
				for (String w : words(labels[i])) {
					counts.get(assignment[i]).merge(w, 1, Integer::sum);
				}
			}
		}
		Map<String, Integer> clustersWith = new HashMap<>();
		for (Map<String, Integer> c : counts) {
			c.keySet().forEach(w -> clustersWith.merge(w, 1, Integer::sum));
		}
		List<String> out = new ArrayList<>(clusters);
		for (Map<String, Integer> c : counts) {
			List<Map.Entry<String, Integer>> ranked = new ArrayList<>(c.entrySet());
			ranked.sort((a, b) -> {
				int byScore = Double.compare(score(b, clusters, clustersWith), score(a, clusters, clustersWith));
				return byScore != 0 ? byScore : a.getKey().compareTo(b.getKey());
			});
			out.add(String.join(" · ", ranked.stream().limit(WORDS).map(Map.Entry::getKey).toList()));
		}
		return out;
	}

	private static double score(Map.Entry<String, Integer> e, int clusters, Map<String, Integer> clustersWith) {
		return e.getValue() * Math.log(1.0 + (double) clusters / clustersWith.get(e.getKey()));
	}

	/** @return the distinct content words of a label, lower case */
	static Set<String> words(String label) {
		Set<String> out = new HashSet<>();
		Matcher m = WORD.matcher(label.toLowerCase(Locale.ROOT));
		while (m.find()) {
			if (!STOP.contains(m.group())) {
				out.add(m.group());
			}
		}
		return out;
	}
}
