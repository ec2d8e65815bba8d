package dev.lumen.feature;

/**
 * The features most often active together with one feature.
 * @param otherIndices feature indices in the same SAE, shape [k]
 * @param scores Jaccard index of the active-token sets, shape [k]
 */
public record Cooccurrence(int[] otherIndices, float[] scores) {
}
