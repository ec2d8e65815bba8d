package dev.lumen.playground;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How each generated token is shown: its text, the steered features' activations there before steering (as a
 * hover title and as a shade from 0 to 1), and whether it lies after the point where the steered text left the
 * default one. Model output stays raw text here: templates escape it.
 */
final class TokenHover {

	/**
	 * @param text the token's text
	 * @param title the hover text, or null for a default completion
	 * @param shade the strongest steered feature's activation there as a fraction of its max activation (of its
	 *        applied value when no max is recorded), 0 to 1, formatted for a CSS variable
	 * @param diverged whether the text differs from the other completion from this token on
	 */
	public record Shown(String text, String title, String shade, boolean diverged) {
	}

	private TokenHover() {
	}

	/** @return one title per steered token, e.g. {@code "res1 #17: 3.214 before steering (clamped to 20.000)"} */
	static List<String> titles(SteerResult result) {
		return titles(result.features(), result.steeredCompletion());
	}

	static List<String> titles(List<SteerResult.AppliedFeature> features, SteerResult.Completion steered) {
		List<String> out = new ArrayList<>();
		for (int t = 0; t < steered.tokenTexts().size(); t++) {
			List<Float> row = row(steered, t);
			if (row == null) {
				out.add("activation at this token not computed (the last token is not fed back to the model)");
				continue;
			}
			List<String> parts = new ArrayList<>();
			for (int k = 0; k < row.size() && k < features.size(); k++) {
				SteerResult.AppliedFeature f = features.get(k);
				parts.add(String.format(Locale.ROOT, "%s #%d: %.3f before steering (%s)", f.sae(), f.index(), row.get(k),
						f.mode().equals("clamp") ? String.format(Locale.ROOT, "clamped to %.3f", f.applied())
								: String.format(Locale.ROOT, "plus %.3f·W_dec", f.applied())));
			}
			out.add(String.join("; ", parts));
		}
		return out;
	}

	/** @return the steered tokens with titles, shades and where they left {@code plain} */
	static List<Shown> steered(List<SteerResult.AppliedFeature> features, SteerResult.Completion steered,
			SteerResult.Completion plain) {
		List<String> titles = titles(features, steered);
		int diverged = firstDifference(plain, steered);
		List<Shown> out = new ArrayList<>();
		for (int t = 0; t < steered.tokenTexts().size(); t++) {
			out.add(new Shown(steered.tokenTexts().get(t), titles.get(t), shade(features, row(steered, t)), t >= diverged));
		}
		return out;
	}

	/** @return the default tokens, marked where they left {@code steered} */
	static List<Shown> plain(SteerResult.Completion plain, SteerResult.Completion steered) {
		int diverged = firstDifference(plain, steered);
		List<Shown> out = new ArrayList<>();
		for (int t = 0; t < plain.tokenTexts().size(); t++) {
			out.add(new Shown(plain.tokenTexts().get(t), null, "0", t >= diverged));
		}
		return out;
	}

	/** @return the first position where the two completions' tokens differ, or the shorter length when none does */
	static int firstDifference(SteerResult.Completion a, SteerResult.Completion b) {
		int n = Math.min(a.tokens().size(), b.tokens().size());
		for (int t = 0; t < n; t++) {
			if (!a.tokens().get(t).equals(b.tokens().get(t))) {
				return t;
			}
		}
		return a.tokens().size() == b.tokens().size() ? Integer.MAX_VALUE : n;
	}

	private static List<Float> row(SteerResult.Completion steered, int t) {
		List<List<Float>> activations = steered.featureActivations();
		return activations == null || t >= activations.size() ? null : activations.get(t);
	}

	private static String shade(List<SteerResult.AppliedFeature> features, List<Float> row) {
		double shade = 0;
		for (int k = 0; row != null && k < row.size() && k < features.size(); k++) {
			SteerResult.AppliedFeature f = features.get(k);
			float reference = f.maxActivation() != null ? f.maxActivation() : Math.abs(f.applied());
			if (row.get(k) != null && reference > 0) {
				shade = Math.max(shade, Math.min(1, row.get(k) / reference));
			}
		}
		return String.format(Locale.ROOT, "%.2f", shade);
	}
}
