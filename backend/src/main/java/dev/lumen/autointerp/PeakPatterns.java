package dev.lumen.autointerp;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What a feature's stored examples show, counted: which tokens carry its activation (mass normalised by the max),
 * which token comes right before each peak, where peaks sit (window start, line start, after a quote or a sentence
 * end), how often the dominant token fires where it occurs, and which words near the peak are rare in windows
 * where the feature is zero. Position 0 (BOS) is never counted.
 */
final class PeakPatterns {

	/** Tokens on each side of the peak whose words count as its context. */
	static final int CONTEXT_RADIUS = 4;

	/** Position just after BOS: the first text token of a window, which sees no earlier text of its document. */
	static final int WINDOW_START = 1;

	final List<ExampleWindow> active = new ArrayList<>();

	/** Token key → activation mass (each activation / the feature's max), summed over activating windows. */
	final Map<String, Double> mass = new HashMap<>();

	/** Token key → a way to show it (the first spelling seen). */
	final Map<String, String> shown = new HashMap<>();

	final Map<String, Integer> peakTokens = new HashMap<>();

	/** Peak token key → summed (window max / feature max)² of the top windows it peaks in. */
	final Map<String, Double> peakTokenWeight = new HashMap<>();

	/**
	 * Key of the token before each peak → weight (the window's (max / feature max)²); windows whose peak follows BOS
	 * are counted as window starts instead.
	 */
	final Map<String, Double> beforePeak = new HashMap<>();

	double peakWeight;

	/** Key of the token before each peak → how many peaks it precedes (unweighted). */
	final Map<String, Integer> beforeCounts = new HashMap<>();

	/** Peaks on a token that continues a word (no space before it, a letter on both sides). */
	int wordPieces;

	private final float max;

	final Map<String, Integer> nearPeak = new HashMap<>();

	double totalMass;

	int peaks;

	int windowStarts;

	int lineStarts;

	int afterQuote;

	int sentenceStarts;

	PeakPatterns(FeatureExamples examples) {
		this.max = examples.maxActivation();
		this.active.addAll(examples.top());
		for (ExampleWindow w : examples.interval()) {
			if (w.peakPosition() > 0) {
				this.active.add(w);
			}
		}
		for (ExampleWindow w : this.active) {
			countMass(w, examples.maxActivation());
			countPeak(w);
		}
	}

	private void countMass(ExampleWindow w, float max) {
		for (int t = 1; t < w.activations().length; t++) {
			if (w.activations()[t] > 0) {
				// squared, so the strong activations that define the feature outweigh the many weak ones
				double weight = Math.pow(w.activations()[t] / max, 2);
				String k = key(w.tokens().get(t));
				this.mass.merge(k, weight, Double::sum);
				this.shown.putIfAbsent(k, display(w.tokens().get(t)));
				this.totalMass += weight;
			}
		}
	}

	private void countPeak(ExampleWindow w) {
		int peak = w.peakPosition();
		if (peak < 0) {
			return;
		}
		this.peaks++;
		this.peakTokens.merge(key(w.tokens().get(peak)), 1, Integer::sum);
		if (w.kind().equals("top")) {
			// the top examples decide which token the feature is about; interval samples are many and weak
			this.peakTokenWeight.merge(key(w.tokens().get(peak)), Math.pow(w.maxActivation() / this.max, 2), Double::sum);
		}
		if (peak == WINDOW_START) {
			this.windowStarts++;
		}
		else {
			String before = w.tokens().get(peak - 1);
			String token = w.tokens().get(peak);
			// weighted like the mass: the context of the strongest examples counts most
			this.beforePeak.merge(key(before), Math.pow(w.maxActivation() / this.max, 2), Double::sum);
			this.peakWeight += Math.pow(w.maxActivation() / this.max, 2);
			this.beforeCounts.merge(key(before), 1, Integer::sum);
			this.shown.putIfAbsent(key(before), display(before));
			if (before.contains("\n")) {
				this.lineStarts++;
			}
			if (before.strip().endsWith("\"") || token.strip().startsWith("\"")) {
				this.afterQuote++;
			}
			if (Set.of(".", "!", "?", ".\"", "!\"", "?\"").contains(before.strip())) {
				this.sentenceStarts++;
			}
			if (!token.isEmpty() && Character.isLetter(token.charAt(0)) && !before.isEmpty()
					&& Character.isLetter(before.charAt(before.length() - 1))) {
				this.wordPieces++;
			}
		}
		Set<String> words = new HashSet<>();
		for (int t = Math.max(1, peak - CONTEXT_RADIUS); t <= Math.min(w.tokens().size() - 1, peak + CONTEXT_RADIUS); t++) {
			if (t != peak && isWord(w.tokens().get(t))) {
				words.add(key(w.tokens().get(t)));
			}
		}
		words.forEach(word -> this.nearPeak.merge(word, 1, Integer::sum));
	}

	/** @return token keys by activation mass, heaviest first; ties by name */
	List<Map.Entry<String, Double>> byMass() {
		return this.mass.entrySet().stream()
			.sorted(Map.Entry.<String, Double>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
			.toList();
	}

	/** @return the token that peaks in most of the (weighted) windows and its share, or null when no window peaks */
	Map.Entry<String, Double> commonestPeak() {
		double all = this.peakTokenWeight.values().stream().mapToDouble(Double::doubleValue).sum();
		return this.peakTokenWeight.entrySet().stream()
			.max(Map.Entry.<String, Double>comparingByValue().thenComparing(Map.Entry.<String, Double>comparingByKey().reversed()))
			.map(e -> Map.entry(e.getKey(), e.getValue() / all))
			.orElse(Map.entry("", 0.0));
	}

	double share(String key) {
		return this.totalMass == 0 ? 0 : this.mass.getOrDefault(key, 0.0) / this.totalMass;
	}

	/** @return the token most often before the peak and its (weighted) share of all peaks, or null when none */
	Map.Entry<String, Double> commonestBeforePeak() {
		return this.beforePeak.entrySet().stream()
			.max(Map.Entry.<String, Double>comparingByValue().thenComparing(Map.Entry.<String, Double>comparingByKey().reversed()))
			.map(e -> Map.entry(e.getKey(), e.getValue() / this.peakWeight))
			.orElse(null);
	}

	/**
	 * How context decides whether {@code token} fires: over every occurrence in the stored windows (activating and
	 * zero), the share that fire, and the preceding token that best separates firing from silent occurrences.
	 */
	ContextSplit contextOf(String token, FeatureExamples examples) {
		Map<String, Integer> beforeFiring = new HashMap<>();
		Map<String, Integer> beforeSilent = new HashMap<>();
		int firing = 0;
		int silent = 0;
		List<ExampleWindow> all = new ArrayList<>(this.active);
		all.addAll(examples.zero());
		for (ExampleWindow w : all) {
			for (int t = 2; t < w.tokens().size(); t++) {
				if (!key(w.tokens().get(t)).equals(token)) {
					continue;
				}
				String before = key(w.tokens().get(t - 1));
				if (w.activations()[t] > 0) {
					firing++;
					beforeFiring.merge(before, 1, Integer::sum);
				}
				else {
					silent++;
					beforeSilent.merge(before, 1, Integer::sum);
				}
			}
		}
		String bestBefore = null;
		double bestLift = 0;
		for (Map.Entry<String, Integer> e : beforeFiring.entrySet()) {
			double lift = e.getValue() / (double) firing
					- (silent == 0 ? 0 : beforeSilent.getOrDefault(e.getKey(), 0) / (double) silent);
			if (e.getValue() >= 2 && (lift > bestLift || (lift == bestLift && bestBefore != null && e.getKey().compareTo(bestBefore) < 0))) {
				bestLift = lift;
				bestBefore = e.getKey();
			}
		}
		double beforeShare = bestBefore == null ? 0 : beforeFiring.get(bestBefore) / (double) firing;
		return new ContextSplit(firing, silent, bestBefore, beforeShare, bestLift);
	}

	/**
	 * @param before the preceding token most typical of firing occurrences (null when none repeats)
	 * @param beforeShare share of firing occurrences that follow it
	 * @param lift that share minus its share among silent occurrences
	 */
	record ContextSplit(int firing, int silent, String before, double beforeShare, double lift) {

		double fireRate() {
			return firing + silent == 0 ? 1 : firing / (double) (firing + silent);
		}
	}

	/**
	 * Words seen near the peak in at least a third of activating windows (and twice), ranked by how much more often
	 * they appear there than anywhere in a zero window.
	 */
	List<String> contextWords(List<ExampleWindow> zero) {
		Map<String, Integer> inZero = new HashMap<>();
		for (ExampleWindow w : zero) {
			Set<String> words = new HashSet<>();
			for (int t = 1; t < w.tokens().size(); t++) {
				words.add(key(w.tokens().get(t)));
			}
			words.forEach(word -> inZero.merge(word, 1, Integer::sum));
		}
		Map<String, Double> lift = new HashMap<>();
		for (Map.Entry<String, Integer> e : this.nearPeak.entrySet()) {
			double activeRate = e.getValue() / (double) this.peaks;
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

	/** Case- and space-insensitive token key; whitespace-only tokens get a visible name. */
	static String key(String token) {
		String s = token.strip().toLowerCase(Locale.ROOT);
		if (!s.isEmpty()) {
			return s;
		}
		return token.contains("\n") ? "⏎" : "␣";
	}

	/** The token as written (stripped), or its visible name when it is only whitespace. */
	static String display(String token) {
		return token.isBlank() ? key(token) : token.strip();
	}

	static boolean isWord(String token) {
		String s = token.strip();
		return s.length() >= 2 && s.chars().anyMatch(Character::isLetter);
	}
}
