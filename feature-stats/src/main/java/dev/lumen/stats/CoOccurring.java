package dev.lumen.stats;

/**
 * A feature's most co-occurring features.
 * @param indices partner features, best first
 * @param scores their Jaccard indices, parallel to {@code indices}
 * @param approximate true when the feature co-occurred with more distinct features than the partner cap, so
 *        counts are Misra-Gries lower bounds (folded in a fixed order of window segments, see CoOccurrenceCounts)
 */
public record CoOccurring(int[] indices, float[] scores, boolean approximate) {
}
