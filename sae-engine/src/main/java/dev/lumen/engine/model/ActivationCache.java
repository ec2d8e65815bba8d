package dev.lumen.engine.model;

import ai.djl.ndarray.NDArray;
import java.util.Collections;
import java.util.Map;
import java.util.Set;

/**
 * Activations recorded by {@link LanguageModel#runWithCache}, by hook name. The arrays belong to the
 * manager the caller passed (or the tokens' manager) and are freed when that manager closes.
 */
public final class ActivationCache {

	private final Map<String, NDArray> activations;

	ActivationCache(Map<String, NDArray> activations) {
		this.activations = Collections.unmodifiableMap(activations);
	}

	/**
	 * Returns a recorded activation.
	 * @param hookName a name built by {@link HookNames}
	 * @return the activation, e.g. [batch, pos, dModel] for residual hooks
	 * @throws IllegalArgumentException listing what was recorded when {@code hookName} was not
	 */
	public NDArray get(String hookName) {
		NDArray a = this.activations.get(hookName);
		if (a == null) {
			throw new IllegalArgumentException("activation '" + hookName + "' was not recorded; recorded: "
					+ String.join(", ", this.activations.keySet()));
		}
		return a;
	}

	/** @return true when {@code hookName} was recorded */
	public boolean contains(String hookName) {
		return this.activations.containsKey(hookName);
	}

	/** @return the recorded hook names, in forward order */
	public Set<String> names() {
		return this.activations.keySet();
	}
}
