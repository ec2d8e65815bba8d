package dev.lumen.engine.model;

import ai.djl.ndarray.NDArray;

/**
 * Reads, and optionally replaces, the activation at a hook point (TransformerLens {@code hook(activation, hook)}).
 */
@FunctionalInterface
public interface HookFunction {

	/**
	 * Called once per forward pass at the hook point.
	 * @param activation the activation, shape as documented by {@link HookNames} (e.g. [batch, pos, dModel]); owned
	 * by the engine's scope for this call, so copy it (or {@code attach} the copy elsewhere) to keep it
	 * @param hookName the hook point's name
	 * @return the array the forward pass continues with: {@code activation} itself, or a replacement of the same shape
	 */
	NDArray apply(NDArray activation, String hookName);
}
