package dev.lumen.playground;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The hover text of each steered token: the steered features' activations there before steering. */
final class TokenHover {

	private TokenHover() {
	}

	/** @return one title per steered token, e.g. {@code "res1 #17: 3.214 before steering (clamped to 20.000)"} */
	static List<String> titles(SteerResult result) {
		List<String> out = new ArrayList<>();
		List<List<Float>> activations = result.steeredCompletion().featureActivations();
		int n = result.steeredCompletion().tokenTexts().size();
		for (int t = 0; t < n; t++) {
			List<Float> row = activations == null || t >= activations.size() ? null : activations.get(t);
			if (row == null) {
				out.add("activation at this token not computed (the last token is not fed back to the model)");
				continue;
			}
			List<String> parts = new ArrayList<>();
			for (int k = 0; k < row.size() && k < result.features().size(); k++) {
				SteerResult.AppliedFeature f = result.features().get(k);
				parts.add(String.format(Locale.ROOT, "%s #%d: %.3f before steering (%s)", f.sae(), f.index(), row.get(k),
						f.mode().equals("clamp") ? String.format(Locale.ROOT, "clamped to %.3f", f.applied())
								: String.format(Locale.ROOT, "plus %.3f·W_dec", f.applied())));
			}
			out.add(String.join("; ", parts));
		}
		return out;
	}
}
