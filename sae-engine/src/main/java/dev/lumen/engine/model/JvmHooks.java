package dev.lumen.engine.model;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * A decode session's {@link PositionHook}s, looked up once per hook point so that a position without hooks costs one
 * array read per point. Names come from {@link HookNames} only.
 */
final class JvmHooks {

	/** The hook points of one block, in the order the forward pass reaches them. */
	enum Point {
		RESID_PRE(HookNames::residPre), LN1(HookNames::ln1Normalized), ATTN_Z(HookNames::attnZ),
		ATTN_OUT(HookNames::attnOut), RESID_MID(HookNames::residMid), LN2(HookNames::ln2Normalized),
		MLP_POST(HookNames::mlpPost), MLP_OUT(HookNames::mlpOut), RESID_POST(HookNames::residPost);

		private final IntFunction<String> name;

		Point(IntFunction<String> name) {
			this.name = name;
		}
	}

	private static final Point[] POINTS = Point.values();

	private final PositionHook[][][] hooks; // [layer][point][hook], null where none

	private final String[][] names; // [layer][point]

	private final PositionHook[] lnFinal; // null when none

	/** @param specs hooks whose functions are all {@link PositionHook}s, names already validated */
	JvmHooks(List<HookSpec> specs, int nLayers) {
		this.hooks = new PositionHook[nLayers][POINTS.length][];
		this.names = new String[nLayers][POINTS.length];
		for (int l = 0; l < nLayers; l++) {
			for (Point p : POINTS) {
				this.names[l][p.ordinal()] = p.name.apply(l);
				this.hooks[l][p.ordinal()] = at(specs, this.names[l][p.ordinal()]);
			}
		}
		this.lnFinal = at(specs, HookNames.lnFinal());
	}

	private static PositionHook[] at(List<HookSpec> specs, String name) {
		List<PositionHook> found = new ArrayList<>();
		for (HookSpec s : specs) {
			if (s.hookName().equals(name)) {
				found.add((PositionHook) s.fn());
			}
		}
		return found.isEmpty() ? null : found.toArray(new PositionHook[0]);
	}

	/** @return true when a hook reads or changes {@code point} of {@code layer} */
	boolean touches(int layer, Point point) {
		return this.hooks[layer][point.ordinal()] != null;
	}

	/** @return true when a hook reads or changes {@code ln_final.hook_normalized} */
	boolean touchesLnFinal() {
		return this.lnFinal != null;
	}

	/** Runs the hooks at {@code point} of {@code layer} on one position's activation, in place. */
	void apply(int layer, Point point, float[] activation, int step, boolean lastInStep) {
		run(this.hooks[layer][point.ordinal()], activation, this.names[layer][point.ordinal()], step, lastInStep);
	}

	/** Runs the hooks at {@code ln_final.hook_normalized}, in place. */
	void applyLnFinal(float[] activation, int step, boolean lastInStep) {
		run(this.lnFinal, activation, HookNames.lnFinal(), step, lastInStep);
	}

	private static void run(PositionHook[] at, float[] activation, String name, int step, boolean lastInStep) {
		if (at != null) {
			for (PositionHook h : at) {
				h.applyInPlace(activation, name, step, lastInStep);
			}
		}
	}
}
