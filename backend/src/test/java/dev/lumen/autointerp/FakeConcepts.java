package dev.lumen.autointerp;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A stand-in for MiniLM in unit tests: each concept description of {@link ConceptVocabulary} is its own axis, a few
 * test words lie on the axis of their concept, and every other text lies on an extra axis that matches no concept.
 */
final class FakeConcepts {

	private static final List<String> CONCEPTS = new ArrayList<>(ConceptVocabulary.OPEN_CLASSES.keySet());

	private static final Map<String, String> WORDS = Map.ofEntries(Map.entry("park", "places"),
			Map.entry("lake", "places"), Map.entry("field", "places"), Map.entry("forest", "places"),
			Map.entry("beach", "places"), Map.entry("cat", "animals"), Map.entry("dog", "animals"),
			Map.entry("bird", "animals"), Map.entry("bear", "animals"), Map.entry("red", "colours"),
			Map.entry("blue", "colours"));

	static final Function<List<String>, List<float[]>> EMBEDDER = texts -> texts.stream().map(FakeConcepts::vector).toList();

	private FakeConcepts() {
	}

	private static float[] vector(String text) {
		float[] v = new float[CONCEPTS.size() + 1];
		int concept = ConceptVocabulary.OPEN_CLASSES.values().stream().toList().indexOf(text);
		if (concept < 0 && WORDS.containsKey(text)) {
			concept = CONCEPTS.indexOf(WORDS.get(text));
		}
		v[concept < 0 ? CONCEPTS.size() : concept] = 1;
		return v;
	}
}
