package dev.lumen.autointerp;

import java.util.ArrayList;
import java.util.List;

/** Builds example windows for tests: BOS, then words; {@code word*2.5} marks an activation of 2.5 on that token. */
final class Windows {

	private static long nextContext = 1;

	private Windows() {
	}

	static ExampleWindow window(String kind, String text) {
		List<String> tokens = new ArrayList<>(List.of("<s>"));
		List<Float> acts = new ArrayList<>(List.of(0f));
		for (String word : text.split(" ")) {
			int star = word.indexOf('*');
			tokens.add(" " + (star < 0 ? word : word.substring(0, star)));
			acts.add(star < 0 ? 0f : Float.parseFloat(word.substring(star + 1)));
		}
		float[] a = new float[acts.size()];
		float max = 0;
		for (int i = 0; i < a.length; i++) {
			a[i] = acts.get(i);
			max = Math.max(max, a[i]);
		}
		return new ExampleWindow(nextContext++, kind, 0, tokens, a, max);
	}

	static List<ExampleWindow> windows(String kind, String... texts) {
		return List.of(texts).stream().map(t -> window(kind, t)).toList();
	}

	static FeatureExamples feature(float max, List<ExampleWindow> top, List<ExampleWindow> zero) {
		return new FeatureExamples(1, 0, max, top, List.of(), zero);
	}
}
