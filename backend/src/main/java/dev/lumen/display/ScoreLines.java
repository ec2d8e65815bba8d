package dev.lumen.display;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A label's score summaries ({@code feature_label.scores}) as sentences a reader can use: the figure, what it
 * measures, the sample it rests on, and a warning when it is at or below chance.
 */
public final class ScoreLines {

	/**
	 * @param name short name (specificity, detection, embedding, ...)
	 * @param figure the number as shown, e.g. {@code 2.7 of 3}
	 * @param meaning what the number says, with its chance level
	 * @param sample what it was measured on, e.g. {@code 20 activating + 6 non-activating contexts}
	 * @param warning null, or why the reader should not trust the label
	 */
	public record Line(String name, String figure, String meaning, String sample, String warning) {
	}

	private ScoreLines() {
	}

	/** @return one line per known score, then any unknown keys as they are; empty for no scores */
	public static List<Line> of(Map<String, Object> scores) {
		List<Line> lines = new ArrayList<>();
		if (scores == null) {
			return lines;
		}
		for (Map.Entry<String, Object> e : scores.entrySet()) {
			Map<?, ?> s = e.getValue() instanceof Map<?, ?> m ? m : Map.of();
			Line line = switch (e.getKey()) {
				case "specificity" -> specificity(s);
				case "detection" -> detection(s);
				case "embedding" -> embedding(s);
				default -> new Line(e.getKey(), String.valueOf(e.getValue()), "", "", null);
			};
			lines.add(line);
		}
		return lines;
	}

	private static Line specificity(Map<?, ?> s) {
		Double active = number(s.get("mean_active"));
		Double zero = number(s.get("mean_zero"));
		String rater = String.valueOf(s.get("rater"));
		String by = rater.startsWith("rule:") ? "rated by rule from the label's pattern (offline, no language model)"
				: "rated by " + rater;
		String figure = active == null ? "not rated" : ActivationFormat.fixed(active, 1) + " of 3"
				+ (zero == null ? "" : " vs " + ActivationFormat.fixed(zero, 1) + " where it does not fire");
		String warning = active != null && zero != null && active <= zero
				? "at or below chance: the label fits contexts where the feature is silent as well as where it fires"
				: active != null && active < 1 ? "the label rarely describes the activating tokens" : null;
		return new Line("specificity", figure, "how well the label describes the highlighted token (0 unrelated – 3 "
				+ "cleanly identifies), " + by, count(s.get("n_active")) + " activating + " + count(s.get("n_zero"))
				+ " non-activating contexts", warning);
	}

	private static Line detection(Map<?, ?> s) {
		Double accuracy = number(s.get("accuracy"));
		Double f1 = number(s.get("f1"));
		String figure = accuracy == null ? "not rated" : ActivationFormat.fixed(100 * accuracy, 1) + "% accuracy"
				+ (f1 == null ? "" : ", F1 " + ActivationFormat.fixed(f1, 2));
		return new Line("detection", figure, "telling activating from other excerpts by the label alone (50% = chance), "
				+ "rated by " + s.get("rater"), count(s.get("n_active")) + " activating + " + count(s.get("n_zero"))
				+ " other excerpts", accuracy != null && accuracy <= 0.5 ? "at or below chance" : null);
	}

	private static Line embedding(Map<?, ?> s) {
		Double auroc = number(s.get("auroc"));
		return new Line("embedding", auroc == null ? "not computed" : "AUROC " + ActivationFormat.fixed(auroc, 2),
				"how well the label's MiniLM similarity separates activating from non-activating snippets (0.5 = chance, "
						+ "1 = perfect)",
				count(s.get("n_active")) + " activating + " + count(s.get("n_zero")) + " non-activating snippets",
				auroc != null && auroc <= 0.5 ? "at or below chance: the label's wording does not single out the examples" : null);
	}

	private static Double number(Object o) {
		return o instanceof Number n ? n.doubleValue() : null;
	}

	private static String count(Object o) {
		return o instanceof Number n ? String.valueOf(n.intValue()) : "?";
	}
}
