package dev.lumen.stats;

/**
 * A feature's most co-occurring features.
 * @param indices partner features, best first
 * @param scores their Jaccard indices, parallel to {@code indices}
 * @param approximate true when the feature co-occurred with more distinct features than the partner cap: its
 *        partners are then not reported (empty arrays), since capped counts depend on the order of the merges
 */
public record CoOccurring(int[] indices, float[] scores, boolean approximate) {
}
