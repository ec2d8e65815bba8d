package dev.lumen.feature;

/**
 * The tokens whose logits a feature raises and lowers most (W_dec,i · W_U), as parallel arrays.
 * @param topTokenIds shape [k], with {@code topValues} shape [k], largest first
 * @param bottomTokenIds shape [k], with {@code bottomValues} shape [k], most negative first
 */
public record LogitEffects(int[] topTokenIds, float[] topValues, int[] bottomTokenIds, float[] bottomValues) {
}
