package dev.lumen.engine.model;

import java.util.Arrays;
import java.util.List;

/**
 * Sequences of different lengths as one left-padded batch, ready for {@link LanguageModel#run}.
 * @param tokens [batch][pos] ids, padding first
 * @param mask [batch][pos], 0 on padding and 1 on tokens
 */
public record TokenBatch(int[][] tokens, int[][] mask) {

	/**
	 * Left-pads sequences to the longest one.
	 * @param sequences token ids per sequence (each non-empty)
	 * @param padId id written into padded slots (never attended to; any valid id works, e.g. EOS or 0)
	 * @return the padded batch
	 * @throws IllegalArgumentException for an empty list or an empty sequence
	 */
	public static TokenBatch leftPad(List<int[]> sequences, int padId) {
		if (sequences.isEmpty()) {
			throw new IllegalArgumentException("no sequences to batch");
		}
		int len = sequences.stream().mapToInt(s -> s.length).max().getAsInt();
		int[][] tokens = new int[sequences.size()][len];
		int[][] mask = new int[sequences.size()][len];
		for (int b = 0; b < tokens.length; b++) {
			int[] s = sequences.get(b);
			if (s.length == 0) {
				throw new IllegalArgumentException("sequence " + b + " is empty");
			}
			int pad = len - s.length;
			Arrays.fill(tokens[b], 0, pad, padId);
			System.arraycopy(s, 0, tokens[b], pad, s.length);
			Arrays.fill(mask[b], pad, len, 1);
		}
		return new TokenBatch(tokens, mask);
	}
}
