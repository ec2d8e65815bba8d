package dev.lumen.engine.model;

/**
 * A hook that can also run on the engine's plain-Java decoder ({@code JvmDecoder}), which processes one
 * position at a time on Java arrays. Generation with only such hooks keeps the fast batch-1 path; generation
 * with any other {@link HookFunction} runs through DJL. Both methods must mean the same change: the engine's
 * tests check that the two paths give the same logits.
 */
public interface PositionHook extends HookFunction {

	/**
	 * Called once per position at the hook point, in position order.
	 * @param activation this position's activation of batch row 0, flattened in the shape {@link HookNames}
	 * documents without batch and position (e.g. [dModel], or [nHeads * dHead] for {@code attn.hook_z});
	 * change it in place to replace the activation. Valid only during the call.
	 * @param hookName the hook point's name
	 * @param step index of the {@link DecodeSession#step} call this position belongs to, from 0 (in generation,
	 * step 0 is the prompt and step k + 1 feeds generated token k), matching the DJL path's k-th call of
	 * {@link #apply}
	 * @param lastInStep whether this is the last position of the step (the one whose logits the step returns)
	 */
	void applyInPlace(float[] activation, String hookName, int step, boolean lastInStep);
}
