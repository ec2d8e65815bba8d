package dev.lumen.review;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The multi-prompt filter: a feature is a candidate for a category when it fires on at least a fraction of
 * the category's prompts. "Fires" means a positive activation of at least {@code relativeActivation} times the
 * feature's largest activation on the corpus (when extraction has stored it), so a feature that is barely on
 * does not count. Features denser than {@code maxDensity} on the corpus (on for most tokens) are skipped.
 */
public record PromptFilter(double minFraction, double relativeActivation, double maxDensity, int limit) {

	/** A feature that passed, with how many prompts it fired on and its mean largest activation on them. */
	public record Candidate(int featureIndex, int prompts, int of, double meanActivation) {
	}

	/**
	 * @param maxPerPrompt each feature's largest activation per prompt, shape [nPrompts][dSae]
	 * @param corpusMax each feature's largest corpus activation, or null (all, or per feature) when not extracted
	 * @param density each feature's corpus density, or null when not extracted
	 * @return the candidates, most prompts first, then highest mean activation; at most {@code limit}
	 */
	public List<Candidate> select(float[][] maxPerPrompt, Float[] corpusMax, Float[] density) {
		int nPrompts = maxPerPrompt.length;
		if (nPrompts == 0) {
			return List.of();
		}
		int needed = Math.max(1, (int) Math.ceil(this.minFraction * nPrompts));
		int dSae = maxPerPrompt[0].length;
		List<Candidate> out = new ArrayList<>();
		for (int f = 0; f < dSae; f++) {
			if (density != null && density[f] != null && density[f] > this.maxDensity) {
				continue;
			}
			float threshold = corpusMax != null && corpusMax[f] != null ? (float) (this.relativeActivation * corpusMax[f]) : 0f;
			int hits = 0;
			double sum = 0;
			for (float[] prompt : maxPerPrompt) {
				if (prompt[f] > 0 && prompt[f] >= threshold) {
					hits++;
					sum += prompt[f];
				}
			}
			if (hits >= needed) {
				out.add(new Candidate(f, hits, nPrompts, sum / hits));
			}
		}
		out.sort(Comparator.comparingInt(Candidate::prompts).reversed()
			.thenComparing(Comparator.comparingDouble(Candidate::meanActivation).reversed())
			.thenComparingInt(Candidate::featureIndex));
		return out.size() > this.limit ? List.copyOf(out.subList(0, this.limit)) : out;
	}
}
