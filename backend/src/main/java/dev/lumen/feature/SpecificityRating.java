package dev.lumen.feature;

/**
 * One specificity rating behind a label: how well a context at some activation fits the label.
 * @param activation the feature's max activation in the rated context
 * @param score 0 (unrelated) .. 3 (clearly matches the label)
 */
public record SpecificityRating(float activation, int score) {
}
