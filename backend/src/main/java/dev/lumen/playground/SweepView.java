package dev.lumen.playground;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A strength sweep as the page shows it: the default completion, then one column per strength. */
public record SweepView(String prompt, List<Column> columns) {

	/**
	 * @param heading e.g. {@code "default"} or {@code "2×"}
	 * @param factor the strength, or null for the default completion
	 * @param tokens the generated tokens (with hover activations for steered columns)
	 * @param stopReason why generation ended
	 */
	public record Column(String heading, Float factor, List<TokenHover.Shown> tokens, String stopReason) {
	}

	static SweepView of(SteeringSweep.Result result) {
		List<Column> columns = new ArrayList<>();
		columns.add(new Column("default", null, TokenHover.plain(result.defaultCompletion(), result.defaultCompletion()),
				result.defaultCompletion().stopReason()));
		for (SteeringSweep.Column c : result.columns()) {
			columns.add(new Column(heading(c.factor()), c.factor(),
					TokenHover.steered(c.features(), c.completion(), result.defaultCompletion()), c.completion().stopReason()));
		}
		return new SweepView(result.prompt(), columns);
	}

	/** @return {@code 0.5×}, {@code 2×}: the strength as the slider shows it */
	static String heading(float factor) {
		return (factor == Math.rint(factor) ? Integer.toString((int) factor) : String.format(Locale.ROOT, "%s", factor)) + "×";
	}
}
