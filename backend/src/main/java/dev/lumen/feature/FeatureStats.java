package dev.lumen.feature;

/**
 * The summary statistics of one feature (table {@code feature}); each may be missing until extraction fills it.
 * @param featureIndex index of the feature in its SAE
 * @param density fraction of tokens where the feature is active, or null
 * @param maxActivation largest activation seen, or null
 * @param meanActivation mean over the tokens where it is active, or null
 */
public record FeatureStats(int featureIndex, Float density, Float maxActivation, Float meanActivation) {
}
