package dev.lumen.autointerp;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Which features of an SAE to explain: {@code all}, a range {@code 0-99}, a list {@code 3,17,40}, or a mix
 * {@code 0-9,42}.
 */
public record FeatureSelection(boolean all, List<Integer> indices) {

	/** @throws IllegalArgumentException naming the part that is not an index or range */
	public static FeatureSelection parse(String text) {
		String s = text == null ? "" : text.strip();
		if (s.equalsIgnoreCase("all")) {
			return new FeatureSelection(true, List.of());
		}
		TreeSet<Integer> indices = new TreeSet<>();
		for (String part : s.split(",")) {
			String p = part.strip();
			try {
				int dash = p.indexOf('-', 1);
				if (dash > 0) {
					int from = Integer.parseInt(p.substring(0, dash).strip());
					int to = Integer.parseInt(p.substring(dash + 1).strip());
					if (from < 0 || to < from) {
						throw new IllegalArgumentException("feature range '" + p + "' must be FROM-TO with 0 <= FROM <= TO");
					}
					for (int i = from; i <= to; i++) {
						indices.add(i);
					}
				}
				else {
					int i = Integer.parseInt(p);
					if (i < 0) {
						throw new IllegalArgumentException("feature index " + i + " is negative");
					}
					indices.add(i);
				}
			}
			catch (NumberFormatException ex) {
				throw new IllegalArgumentException("'" + p + "' is not a feature index or range (use all, 0-99 or 3,17)");
			}
		}
		return new FeatureSelection(false, new ArrayList<>(indices));
	}

	/** @return the selected indices that exist in an SAE of {@code dSae} features, ascending */
	public List<Integer> resolve(int dSae) {
		if (this.all) {
			List<Integer> every = new ArrayList<>(dSae);
			for (int i = 0; i < dSae; i++) {
				every.add(i);
			}
			return every;
		}
		for (int i : this.indices) {
			if (i >= dSae) {
				throw new IllegalArgumentException("feature " + i + " does not exist: the SAE has " + dSae + " features");
			}
		}
		return this.indices;
	}
}
