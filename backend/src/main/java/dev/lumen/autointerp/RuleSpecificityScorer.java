package dev.lumen.autointerp;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Offline specificity scorer for offline labels: the rubric of {@link SpecificityScorer} (0 unrelated, 1 vaguely
 * related, 2 partially, 3 cleanly identifies) applied by rule instead of by a language model. The label's pattern
 * ({@link LabelPattern}) is checked against each context: 3 when the highlighted token matches the label's tokens or
 * category and the context it names (preceding token, position, nearby word), 2 when only the token or category
 * matches, 1 when a matching token is within a few tokens, 0 otherwise. Activating contexts are rated at their peak;
 * zero contexts at their best-matching token, so a pattern that also matches where the feature is silent scores
 * high there and lowers specificity. Ratings are stored with rater {@value #RATER}, so pages can say so.
 */
public final class RuleSpecificityScorer implements Scorer {

	/** Stored as the rater of every rating and in the summary. */
	public static final String RATER = "rule:label-pattern";

	private final ConceptVocabulary concepts;

	/** Uses the bundled MiniLM for category labels (shared with the offline explainer). */
	public RuleSpecificityScorer() {
		this(ConceptVocabulary.miniLm());
	}

	RuleSpecificityScorer(ConceptVocabulary concepts) {
		this.concepts = concepts;
	}

	@Override
	public String name() {
		return "specificity";
	}

	@Override
	public Scores score(FeatureExamples examples, Explanation explanation) {
		if (!explanation.heuristic()) {
			throw new IllegalArgumentException("the rule scorer applies offline labels' patterns; label '"
					+ explanation.label() + "' is from " + explanation.explainer() + ": use --scorer specificity with a rater");
		}
		LabelPattern pattern = LabelPattern.parse(explanation.label());
		List<Rating> ratings = new ArrayList<>();
		int zeroMatches = 0;
		int zeros = 0;
		for (ExampleWindow w : SpecificityScorer.contexts(examples)) {
			int peak = w.peakPosition();
			int score;
			if (peak > 0) {
				score = score(pattern, w, peak);
			}
			else {
				score = 0;
				for (int t = 1; t < w.tokens().size(); t++) {
					score = Math.max(score, score(pattern, w, t));
				}
				zeros++;
				zeroMatches += score >= 2 ? 1 : 0;
			}
			ratings.add(new Rating(w.contextId(), peak > 0 ? w.maxActivation() : 0, score, RATER));
		}
		Map<String, Object> summary = SpecificityScorer.summary(ratings, examples.maxActivation());
		summary = new java.util.LinkedHashMap<>(summary);
		summary.put("rater", RATER);
		summary.put("method", "offline rule: the label's pattern applied to each context; no language model");
		summary.put("zero_contexts_matching", zeros == 0 ? null : zeroMatches / (double) zeros);
		return new Scores(summary, ratings);
	}

	@Override
	public CallEstimate estimate(FeatureExamples examples) {
		return CallEstimate.NONE;
	}

	/** The rubric by rule for the token at {@code t}. */
	int score(LabelPattern p, ExampleWindow w, int t) {
		if (p.windowStart()) {
			return t == PeakPatterns.WINDOW_START ? 3 : 0;
		}
		boolean target = matches(p, w.tokens().get(t));
		if (target) {
			return context(p, w, t) ? 3 : 2;
		}
		for (int u = Math.max(1, t - PeakPatterns.CONTEXT_RADIUS); u <= Math.min(w.tokens().size() - 1, t + PeakPatterns.CONTEXT_RADIUS); u++) {
			if (u != t && !p.anyWord() && matches(p, w.tokens().get(u))) {
				return 1;
			}
		}
		return 0;
	}

	private boolean matches(LabelPattern p, String token) {
		String key = PeakPatterns.key(token);
		if (p.tokens().contains(key) || (p.anyWord() && PeakPatterns.isWord(token))) {
			return true;
		}
		return !p.categories().isEmpty() && p.categories().contains(this.concepts.category(key));
	}

	private static boolean context(LabelPattern p, ExampleWindow w, int t) {
		String previous = t >= 2 ? w.tokens().get(t - 1) : null;
		if (p.before() != null && (previous == null || !PeakPatterns.key(previous).equals(p.before()))) {
			return false;
		}
		if (p.position() != null) {
			boolean ok = previous != null && switch (p.position()) {
				case "line" -> previous.contains("\n");
				case "quote" -> previous.strip().endsWith("\"") || w.tokens().get(t).strip().startsWith("\"");
				case "word" -> !w.tokens().get(t).isEmpty() && Character.isLetter(w.tokens().get(t).charAt(0))
						&& !previous.isEmpty() && Character.isLetter(previous.charAt(previous.length() - 1));
				default -> List.of(".", "!", "?", ".\"", "!\"", "?\"").contains(previous.strip());
			};
			if (!ok) {
				return false;
			}
		}
		if (!p.nearWords().isEmpty()) {
			for (int u = Math.max(1, t - PeakPatterns.CONTEXT_RADIUS); u <= Math.min(w.tokens().size() - 1, t + PeakPatterns.CONTEXT_RADIUS); u++) {
				if (u != t && p.nearWords().contains(PeakPatterns.key(w.tokens().get(u)))) {
					return true;
				}
			}
			return false;
		}
		return true;
	}
}
