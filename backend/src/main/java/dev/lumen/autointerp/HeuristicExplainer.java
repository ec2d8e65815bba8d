package dev.lumen.autointerp;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Offline explainer: no language model, only counting and a local sentence-embedding model. It names, in this order
 * of precedence, a window-start artefact (the peak is the first token of its window), a token and the context it
 * needs (the preceding token that separates firing from silent occurrences, a position such as line start or after
 * a quote, words near the peak that are rare where the feature is zero), or, when no token dominates, the category
 * the active tokens share ({@link ConceptVocabulary}), with the preceding token or position they share; two
 * unrelated groups become "A / B". Its labels are stored with {@code is_heuristic = true} so pages mark them.
 */
public final class HeuristicExplainer implements Explainer {

	/** Name stored in {@code feature_label.explainer}. */
	public static final String NAME = "heuristic";

	/** A token names the feature alone when it carries at least this share of activation. */
	static final double DOMINANT_SHARE = 0.5;

	/** A token names the feature alone when it is the peak of at least this (weighted) share of activating windows. */
	static final double PEAK_SHARE = 0.6;

	/** A preceding token, position or category describes the feature when it holds at least this share of peaks or mass. */
	static final double PATTERN_SHARE = 0.5;

	/** Polysemantic split: each of two groups carries at least this share and together at least {@link #SPLIT_TOTAL}. */
	static final double SPLIT_PART = 0.2;

	static final double SPLIT_TOTAL = 0.55;

	/** A second category splits the label only when it carries at least this share (a single stray token does not). */
	static final double SPLIT_GROUP = 0.25;

	private final ConceptVocabulary concepts;

	/** Uses the bundled MiniLM (loaded on first use) to find categories. */
	public HeuristicExplainer() {
		this.concepts = ConceptVocabulary.miniLm();
	}

	HeuristicExplainer(Function<List<String>, List<float[]>> embedder) {
		this.concepts = new ConceptVocabulary(embedder);
	}

	@Override
	public String name() {
		return NAME;
	}

	@Override
	public Explanation explain(FeatureExamples examples) {
		if (!examples.hasActivations()) {
			throw new IllegalArgumentException("feature " + examples.featureIndex() + " never fired: nothing to explain");
		}
		PeakPatterns p = new PeakPatterns(examples);
		if (p.peaks == 0 || p.totalMass == 0) {
			throw new IllegalArgumentException("feature " + examples.featureIndex() + " fires only on BOS: nothing to explain");
		}
		List<Map.Entry<String, Double>> byMass = p.byMass();
		Map.Entry<String, Double> peak = p.commonestPeak();
		if (peak.getValue() >= PEAK_SHARE && !peak.getKey().equals(byMass.get(0).getKey())) {
			// one token is the peak of most strong windows, though weaker tokens around it add up to more mass
			byMass = new java.util.ArrayList<>(byMass);
			byMass.removeIf(e -> e.getKey().equals(peak.getKey()));
			byMass.add(0, Map.entry(peak.getKey(), p.mass.get(peak.getKey())));
		}
		List<String> context = p.contextWords(examples.zero());
		List<ConceptVocabulary.Group> groups = this.concepts.groups(byMass, p.totalMass);
		String label = label(p, examples, byMass, groups, context);
		return new Explanation(label, description(p, examples, byMass, groups, context), NAME, true);
	}

	private String label(PeakPatterns p, FeatureExamples examples, List<Map.Entry<String, Double>> byMass,
			List<ConceptVocabulary.Group> groups, List<String> context) {
		String top = byMass.get(0).getKey();
		if (p.windowStarts >= 2 && p.windowStarts >= PATTERN_SHARE * p.peaks) {
			return "window-start artefact: fires on the first token of a window (mostly " + quote(p.shown.get(top))
					+ "), not on a pattern in the text";
		}
		String position = position(p);
		if (p.share(top) >= DOMINANT_SHARE || p.commonestPeak().getValue() >= PEAK_SHARE) {
			return dominantToken(p, examples, byMass, position, context);
		}
		Map.Entry<String, Double> before = p.commonestBeforePeak();
		String where = position != null ? " " + position
				: before != null && before.getKey().equals("⏎") && before.getValue() >= PATTERN_SHARE ? " at the start of a line"
				: before != null && before.getValue() >= PATTERN_SHARE && p.beforeCounts.get(before.getKey()) >= 2
						? " after " + quote(p.shown.get(before.getKey())) : "";
		if (groups.size() >= 2 && groups.get(1).share() >= SPLIT_GROUP
				&& groups.get(0).share() + groups.get(1).share() >= SPLIT_TOTAL) {
			return groupText(p, groups.get(0)) + " / " + groupText(p, groups.get(1)) + where;
		}
		if (!groups.isEmpty() && groups.get(0).share() >= PATTERN_SHARE) {
			return groupText(p, groups.get(0)) + where;
		}
		String tokens = byMass.stream().limit(3).map(e -> p.shown.get(e.getKey())).collect(Collectors.joining(", "));
		if (!where.isEmpty()) {
			return "words" + where + " (" + tokens + ")";
		}
		if (byMass.size() >= 2 && p.share(byMass.get(1).getKey()) >= SPLIT_PART
				&& p.share(top) + p.share(byMass.get(1).getKey()) >= SPLIT_TOTAL) {
			return quote(p.shown.get(top)) + " / " + quote(p.shown.get(byMass.get(1).getKey()))
					+ (context.isEmpty() ? "" : " near " + String.join(", ", context.subList(0, Math.min(2, context.size()))));
		}
		double threeShare = byMass.stream().limit(3).mapToDouble(e -> p.share(e.getKey())).sum();
		return "mixed: " + byMass.stream().limit(3).map(e -> quote(p.shown.get(e.getKey()))).collect(Collectors.joining(", "))
				+ (threeShare < 0.3 ? " (diffuse)" : "")
				+ (context.isEmpty() ? "" : " near " + String.join(", ", context.subList(0, Math.min(2, context.size()))));
	}

	/** One token carries most activation: say which context it needs, if the examples show one. */
	private static String dominantToken(PeakPatterns p, FeatureExamples examples, List<Map.Entry<String, Double>> byMass,
			String position, List<String> context) {
		String top = byMass.get(0).getKey();
		String label = quote(p.shown.get(top));
		PeakPatterns.ContextSplit split = p.contextOf(top, examples);
		if (position != null) {
			label += " " + position;
		}
		else if (split.before() != null && split.beforeShare() >= PATTERN_SHARE
				&& (split.lift() >= 0.3 || split.silent() == 0)) {
			label += " after " + quote(p.shown.getOrDefault(split.before(), split.before()));
		}
		else if (strongBefore(p) != null && (split.silent() == 0 || strongBefore(p).equals(split.before()))) {
			label += " after " + quote(p.shown.get(strongBefore(p)));
		}
		else if (!context.isEmpty()) {
			label += " near " + String.join(", ", context.subList(0, Math.min(2, context.size())));
		}
		if (split.silent() >= 2 && split.fireRate() < 0.5 && !label.contains(" after ") && !label.contains(" near ")
				&& position == null) {
			label += " (in some contexts only)";
		}
		if (byMass.size() >= 2 && p.share(byMass.get(1).getKey()) >= SPLIT_PART) {
			label += " / " + quote(p.shown.get(byMass.get(1).getKey()));
		}
		return label;
	}

	/** The token before most of the strongest peaks (weighted share at least 0.6, at least twice), or null. */
	private static String strongBefore(PeakPatterns p) {
		Map.Entry<String, Double> before = p.commonestBeforePeak();
		return before != null && before.getValue() >= 0.6 && p.beforeCounts.get(before.getKey()) >= 2 ? before.getKey() : null;
	}

	/** Where peaks sit, when most of them share a position. */
	private static String position(PeakPatterns p) {
		if (p.lineStarts >= 2 && p.lineStarts >= PATTERN_SHARE * p.peaks) {
			return "at the start of a line";
		}
		if (p.afterQuote >= 2 && p.afterQuote >= PATTERN_SHARE * p.peaks) {
			return "right after a quote mark";
		}
		if (p.sentenceStarts >= 2 && p.sentenceStarts >= PATTERN_SHARE * p.peaks) {
			return "after the end of a sentence";
		}
		if (p.wordPieces >= 2 && p.wordPieces >= PATTERN_SHARE * p.peaks) {
			return "inside a word";
		}
		return null;
	}

	private static String groupText(PeakPatterns p, ConceptVocabulary.Group g) {
		return g.name() + " (" + g.examples().stream().limit(3).map(k -> p.shown.getOrDefault(k, k))
			.collect(Collectors.joining(", ")) + ")";
	}

	private static String description(PeakPatterns p, FeatureExamples examples, List<Map.Entry<String, Double>> byMass,
			List<ConceptVocabulary.Group> groups, List<String> context) {
		StringBuilder text = new StringBuilder("Heuristic summary of ").append(p.active.size())
			.append(" activating examples (no language model). Share of activation: ");
		text.append(byMass.stream().limit(5).map(e -> quote(p.shown.get(e.getKey())) + " " + percent(p.share(e.getKey())))
			.collect(Collectors.joining(", ")));
		Map.Entry<String, Integer> topPeak = p.peakTokens.entrySet().stream()
			.max(Map.Entry.<String, Integer>comparingByValue().thenComparing(Map.Entry.<String, Integer>comparingByKey().reversed()))
			.orElseThrow();
		text.append(". Peaks on ").append(quote(p.shown.get(topPeak.getKey()))).append(" in ").append(topPeak.getValue())
			.append(" of ").append(p.peaks).append(" examples");
		Map.Entry<String, Double> before = p.commonestBeforePeak();
		if (before != null) {
			text.append("; the token before the peak is ").append(quote(p.shown.get(before.getKey()))).append(" in ")
				.append(p.beforeCounts.get(before.getKey())).append(" of them (").append(percent(before.getValue()))
				.append(" weighted by activation)");
		}
		text.append(". Peak positions: ").append(p.windowStarts).append(" at a window start, ").append(p.lineStarts)
			.append(" at a line start, ").append(p.afterQuote).append(" at a quote, ").append(p.sentenceStarts)
			.append(" after a sentence end, ").append(p.wordPieces).append(" inside a word.");
		if (!groups.isEmpty()) {
			text.append(" Categories of the active tokens: ").append(groups.stream().limit(3)
				.map(g -> g.name() + " " + percent(g.share())).collect(Collectors.joining(", "))).append('.');
		}
		PeakPatterns.ContextSplit split = p.contextOf(byMass.get(0).getKey(), examples);
		text.append(" ").append(quote(p.shown.get(byMass.get(0).getKey()))).append(" fires in ").append(split.firing())
			.append(" of its ").append(split.firing() + split.silent()).append(" occurrences in the stored windows.");
		if (!context.isEmpty()) {
			text.append(" Words near the peak that are rare where the feature is zero: ").append(String.join(", ", context))
				.append('.');
		}
		return text.toString();
	}

	/** Double quotes around a token or phrase; quotes and backslashes inside are escaped, since tokens can be {@code "}. */
	static String quote(String s) {
		return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
	}

	private static String percent(double fraction) {
		return Math.round(100 * fraction) + "%";
	}
}
