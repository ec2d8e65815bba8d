package dev.lumen.stats;

/**
 * A feature's most co-occurring features.
 * @param indices partner features, best first
 * @param scores their Jaccard indices, parallel to {@code indices}
 * @param approximate true when the feature had more partners than the cap, so counts are Misra-Gries lower bounds
 */
public record CoOccurring(int[] indices, float[] scores, boolean approximate) {
}
