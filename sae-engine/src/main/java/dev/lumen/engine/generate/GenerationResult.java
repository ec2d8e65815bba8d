package dev.lumen.engine.generate;

/**
 * The outcome of one generation.
 * @param tokens generated ids (the stop token excluded)
 * @param text the generated text
 * @param stopReason why generation ended
 */
public record GenerationResult(int[] tokens, String text, StopReason stopReason) {
}
