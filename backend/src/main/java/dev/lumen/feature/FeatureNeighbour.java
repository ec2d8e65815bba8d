package dev.lumen.feature;

/**
 * A feature near another one by decoder direction.
 * @param featureIndex index of the neighbour in its SAE
 * @param cosine exact cosine similarity of the two decoder vectors
 */
public record FeatureNeighbour(int featureIndex, double cosine) {
}
