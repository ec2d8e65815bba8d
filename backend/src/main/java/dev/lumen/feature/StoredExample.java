package dev.lumen.feature;

/**
 * One stored example of a feature: a corpus window with the feature's activation on every token.
 * @param kind {@code top}, {@code interval} or {@code zero}
 * @param intervalIndex 0..9 for interval examples, 0 otherwise
 * @param rank order within (kind, interval)
 * @param maxPosition position of the largest activation within the window
 * @param tokenIds the window's token ids, shape [pos]
 * @param activations the feature's activation per token, shape [pos], aligned with {@code tokenIds}
 */
public record StoredExample(String kind, int intervalIndex, int rank, String corpus, int docIndex, int startPos,
		int maxPosition, float maxActivation, int[] tokenIds, float[] activations) {
}
