package dev.lumen.engine.model;

import java.util.Objects;

/**
 * A hook function bound to one hook point for one call of {@link LanguageModel#runWithHooks} or generation.
 * @param hookName a name built by {@link HookNames}
 * @param fn the function to run there
 */
public record HookSpec(String hookName, HookFunction fn) {

	public HookSpec {
		Objects.requireNonNull(hookName, "hookName");
		Objects.requireNonNull(fn, "fn");
	}
}
