package dev.lumen.sae;

/**
 * One row of an SAE's feature table.
 * @param label the newest label, or null
 * @param heuristic whether that label is an offline heuristic one
 */
public record FeatureRow(int index, String label, boolean heuristic, Float density, Float maxActivation) {
}
