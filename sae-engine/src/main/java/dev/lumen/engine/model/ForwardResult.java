package dev.lumen.engine.model;

import ai.djl.ndarray.NDArray;

/**
 * The outputs of one forward pass.
 * @param logits [batch, pos, vocab], or null when the pass stopped early ({@code stopAtLayer})
 * @param cache the activations selected by the names filter
 */
public record ForwardResult(NDArray logits, ActivationCache cache) {
}
