package dev.lumen.autointerp;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Offline explainer: no language model, only counting. It summarises which tokens carry the feature's activation
 * (activation mass normalised by the feature's max), which two-token phrase ends at the peak, and which words near
 * the peak are common in activating windows but rare in windows where the feature is zero. Its labels are stored
 * with {@code is_heuristic = true} so pages can mark them as guesses.
 */
public final class HeuristicExplainer implements Explainer {

	/** Name stored in {@code feature_label.explainer}. */
	public static final String NAME = "heuristic";

	/** A token names the feature alone when it carries at least this share of activation; a phrase needs more than this share of peaks. */
	static final double DOMINANT_SHARE = 0.5;

	/** Tokens on each side of the peak whose words count as its context. */
	static final int CONTEXT_RADIUS = 4;

	@Override
	public String name() {
		return NAME;
	}

	@Override
	public Explanation explain(FeatureExamples examples) {
		if (!examples.hasActivations()) {
			throw new IllegalArgumentException("feature " + examples.featureIndex() + " never fired: nothing to explain");
		}
		List<ExampleWindow> active = new ArrayList<>(examples.top());
		for (ExampleWindow w : examples.interval()) {
			if (w.peakPosition() > 0) {
				active.add(w);
			}
		}
		Map<String, Double> mass = new HashMap<>();
		Map<String, Integer> peaks = new HashMap<>();
		Map<String, Integer> phrases = new HashMap<>();
		Map<String, String> phraseText = new HashMap<>();
		Map<String, Integer> nearPeak = new HashMap<>();
		double total = 0;
		int withPeak = 0;
		for (ExampleWindow w : active) {
			for (int t = 1; t < w.activations().length; t++) {
				if (w.activations()[t] > 0) {
					double weight = w.activations()[t] / examples.maxActivation();
					mass.merge(key(w.tokens().get(t)), weight, Double::sum);
					total += weight;
				}
			}
			int peak = w.peakPosition();
			if (peak < 0) {
				continue;
			}
			withPeak++;
			peaks.merge(key(w.tokens().get(peak)), 1, Integer::sum);
			if (peak >= 2) {
				String phrase = key(w.tokens().get(peak - 1)) + " " + key(w.tokens().get(peak));
				phrases.merge(phrase, 1, Integer::sum);
				phraseText.putIfAbsent(phrase, (shown(w.tokens().get(peak - 1)) + shown(w.tokens().get(peak))).strip());
			}
			Set<String> words = new HashSet<>();
			for (int t = Math.max(1, peak - CONTEXT_RADIUS); t <= Math.min(w.tokens().size() - 1, peak + CONTEXT_RADIUS); t++) {
				if (t != peak && isWord(w.tokens().get(t))) {
					words.add(key(w.tokens().get(t)));
				}
			}
			words.forEach(word -> nearPeak.merge(word, 1, Integer::sum));
		}
		List<Map.Entry<String, Double>> byMass = mass.entrySet().stream()
			.sorted(Map.Entry.<String, Double>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
			.toList();
		Map.Entry<String, Integer> topPhrase = best(phrases);
		List<String> context = contextWords(nearPeak, withPeak, examples.zero());

		String label = label(byMass, total, topPhrase, phraseText, withPeak, context);
		String description = description(active.size(), byMass, total, best(peaks), withPeak, topPhrase, phraseText,
				context);
		return new Explanation(label, description, NAME, true);
	}

	private static String label(List<Map.Entry<String, Double>> byMass, double total, Map.Entry<String, Integer> topPhrase,
			Map<String, String> phraseText, int withPeak, List<String> context) {
		String label;
		double topShare = byMass.get(0).getValue() / total;
		if (topPhrase != null && topPhrase.getValue() >= 2 && topPhrase.getValue() > DOMINANT_SHARE * withPeak
				&& topPhrase.getKey().endsWith(" " + byMass.get(0).getKey())) {
			label = quote(phraseText.get(topPhrase.getKey()));
		}
		else if (topShare >= DOMINANT_SHARE) {
			label = quote(byMass.get(0).getKey());
		}
		else {
			List<Map.Entry<String, Double>> three = byMass.subList(0, Math.min(3, byMass.size()));
			label = three.stream().map(e -> quote(e.getKey())).collect(Collectors.joining(" / "));
			if (three.stream().mapToDouble(Map.Entry::getValue).sum() / total < 0.3) {
				label += " (diffuse)";
			}
		}
		if (!context.isEmpty()) {
			label += " near " + String.join(", ", context.subList(0, Math.min(2, context.size())));
		}
		return label;
	}

	private static String description(int examples, List<Map.Entry<String, Double>> byMass, double total,
			Map.Entry<String, Integer> topPeak, int withPeak, Map.Entry<String, Integer> topPhrase,
			Map<String, String> phraseText, List<String> context) {
		StringBuilder text = new StringBuilder("Heuristic summary of ").append(examples)
			.append(" activating examples (no language model). Share of activation: ");
		text.append(byMass.stream().limit(5).map(e -> quote(e.getKey()) + " " + percent(e.getValue() / total))
			.collect(Collectors.joining(", ")));
		text.append(". Peaks on ").append(quote(topPeak.getKey())).append(" in ").append(topPeak.getValue()).append(" of ")
			.append(withPeak).append(" examples");
		if (topPhrase != null && topPhrase.getValue() >= 2) {
			text.append("; commonest phrase ending at the peak: ").append(quote(phraseText.get(topPhrase.getKey())))
				.append(" (").append(topPhrase.getValue()).append(" of ").append(withPeak).append(")");
		}
		text.append('.');
		if (!context.isEmpty()) {
			text.append(" Words near the peak that are rare where the feature is zero: ").append(String.join(", ", context))
				.append('.');
		}
		return text.toString();
	}

	/**
	 * Words seen near the peak in at least a third of activating windows (and twice), ranked by how much more often
	 * they appear there than anywhere in a zero window.
	 */
	static List<String> contextWords(Map<String, Integer> nearPeak, int withPeak, List<ExampleWindow> zero) {
		Map<String, Integer> inZero = new HashMap<>();
		for (ExampleWindow w : zero) {
			Set<String> words = new HashSet<>();
			for (int t = 1; t < w.tokens().size(); t++) {
				words.add(key(w.tokens().get(t)));
			}
			words.forEach(word -> inZero.merge(word, 1, Integer::sum));
		}
		Map<String, Double> lift = new LinkedHashMap<>();
		for (Map.Entry<String, Integer> e : nearPeak.entrySet()) {
			double activeRate = e.getValue() / (double) withPeak;
			double zeroRate = zero.isEmpty() ? 0 : inZero.getOrDefault(e.getKey(), 0) / (double) zero.size();
			if (e.getValue() >= 2 && activeRate >= 1.0 / 3 && activeRate - zeroRate >= 0.25) {
				lift.put(e.getKey(), activeRate - zeroRate);
			}
		}
		return lift.entrySet().stream()
			.sorted(Map.Entry.<String, Double>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
			.limit(5)
			.map(Map.Entry::getKey)
			.toList();
	}

	private static Map.Entry<String, Integer> best(Map<String, Integer> counts) {
		return counts.entrySet().stream()
			.max(Map.Entry.<String, Integer>comparingByValue().thenComparing(Map.Entry.comparingByKey(Comparator.reverseOrder())))
			.orElse(null);
	}

	/** Case- and space-insensitive token key; whitespace-only tokens get a visible name. */
	static String key(String token) {
		String s = token.strip().toLowerCase(Locale.ROOT);
		if (!s.isEmpty()) {
			return s;
		}
		return token.contains("\n") ? "⏎" : "␣";
	}

	/** The token as written, or its visible name when it is only whitespace. */
	private static String shown(String token) {
		return token.isBlank() ? key(token) : token;
	}

	private static boolean isWord(String token) {
		String s = token.strip();
		return s.length() >= 2 && s.chars().anyMatch(Character::isLetter);
	}

	/** Double quotes around a token or phrase; quotes and backslashes inside are escaped, since tokens can be {@code "}. */
	static String quote(String s) {
		return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
	}

	private static String percent(double fraction) {
		return Math.round(100 * fraction) + "%";
	}
}
