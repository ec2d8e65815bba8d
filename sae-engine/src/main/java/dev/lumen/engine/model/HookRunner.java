package dev.lumen.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The hook points of one forward call: runs the call's hook functions and records the activations the
 * names filter selects. Created per call and dropped afterwards, so no hook outlives its call.
 */
final class HookRunner {

	private static final HookRunner NONE = new HookRunner(Map.of(), null, null);

	private final Map<String, List<HookFunction>> hooks;

	private final Predicate<String> recordFilter;

	private final NDManager recordManager;

	private final Map<String, NDArray> recorded = new LinkedHashMap<>();

	private HookRunner(Map<String, List<HookFunction>> hooks, Predicate<String> recordFilter, NDManager recordManager) {
		this.hooks = hooks;
		this.recordFilter = recordFilter;
		this.recordManager = recordManager;
	}

	/** @return a runner with no hooks and no recording */
	static HookRunner none() {
		return NONE;
	}

	/**
	 * Creates a runner for one call.
	 * @param specs hooks to apply, validated against {@code valid}
	 * @param valid the model's hook names
	 * @param recordFilter names to record, or null to record nothing
	 * @param recordManager where recorded copies go (ignored without a filter)
	 */
	static HookRunner of(List<HookSpec> specs, Set<String> valid, Predicate<String> recordFilter,
			NDManager recordManager) {
		Map<String, List<HookFunction>> byName = new HashMap<>();
		for (HookSpec spec : specs) {
			HookNames.validate(spec.hookName(), valid);
			byName.computeIfAbsent(spec.hookName(), k -> new ArrayList<>()).add(spec.fn());
		}
		if (byName.isEmpty() && recordFilter == null) {
			return NONE;
		}
		return new HookRunner(byName, recordFilter, recordManager);
	}

	/** @return true when nothing happens at any hook point */
	boolean isEmpty() {
		return this.hooks.isEmpty() && this.recordFilter == null;
	}

	/** @return true when a hook or the recording reads {@code name}, so the activation must exist as such */
	boolean touches(String name) {
		return this.hooks.containsKey(name) || (this.recordFilter != null && this.recordFilter.test(name));
	}

	/**
	 * Passes an activation through a hook point (identity unless a hook replaces it).
	 * @param name the hook point
	 * @param x the activation
	 * @return the activation the forward pass continues with
	 */
	NDArray point(String name, NDArray x) {
		NDArray out = x;
		List<HookFunction> fns = this.hooks.get(name);
		if (fns != null) {
			for (HookFunction fn : fns) {
				NDArray replaced = fn.apply(out, name);
				if (replaced == null) {
					throw new IllegalStateException("hook at '" + name + "' returned null; return the activation itself");
				}
				if (!replaced.getShape().equals(out.getShape())) {
					throw new IllegalStateException("hook at '" + name + "' returned shape " + replaced.getShape()
							+ ", expected " + out.getShape());
				}
				if (replaced != out && replaced.getManager() != out.getManager()) {
					// keep the rest of the pass in this call's scope, away from the hook's own manager
					NDArray moved = replaced.duplicate();
					moved.attach(out.getManager());
					replaced = moved;
				}
				out = replaced;
			}
		}
		if (this.recordFilter != null && this.recordFilter.test(name)) {
			// a copy, so the caller owns it and later in-place work cannot alias it
			NDArray copy = out.duplicate();
			copy.attach(this.recordManager);
			this.recorded.put(name, copy);
		}
		return out;
	}

	/** @return the recorded activations, in forward order */
	Map<String, NDArray> recorded() {
		return this.recorded;
	}
}
