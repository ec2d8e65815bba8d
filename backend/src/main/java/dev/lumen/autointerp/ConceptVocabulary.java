package dev.lumen.autointerp;

import dev.langchain4j.data.segment.TextSegment;
import dev.lumen.embedding.SharedEmbeddingModel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Names what a feature's active tokens have in common. Closed word classes (pronouns, articles, punctuation, ...)
 * and word forms (-ed, -ing, -ly) are recognised by rule; open classes (animals, places, food, ...) by comparing a
 * token's sentence embedding (the bundled MiniLM) with the embedding of each concept's description: a token joins
 * the concept it is most similar to when that similarity is at least {@link #MIN_SIMILARITY} and beats the
 * runner-up by {@link #MIN_MARGIN}.
 */
final class ConceptVocabulary {

	static final double MIN_SIMILARITY = 0.42;

	static final double MIN_MARGIN = 0.03;

	/** Tokens (by mass) looked at; the rest carry too little to change the verdict. */
	static final int TOKENS_CONSIDERED = 16;

	/** Concept name shown in labels → the text embedded for it. */
	static final Map<String, String> OPEN_CLASSES = openClasses();

	private static final Map<String, Set<String>> CLOSED_CLASSES = closedClasses();

	/** A category and the share of the feature's activation mass its tokens carry; examples heaviest first. */
	record Group(String name, double share, List<String> examples) {
	}

	private final Function<List<String>, List<float[]>> embedder;

	private final Map<String, float[]> cache = new ConcurrentHashMap<>();

	private volatile List<float[]> conceptVectors;

	/** @return the vocabulary on the bundled MiniLM, shared by the offline explainer and scorer (one embedding cache) */
	static ConceptVocabulary miniLm() {
		return MiniLm.VOCABULARY;
	}

	/** Class-holder idiom: built on first use. */
	private static final class MiniLm {

		static final ConceptVocabulary VOCABULARY = new ConceptVocabulary(texts -> SharedEmbeddingModel.instance()
			.embedAll(texts.stream().map(TextSegment::from).toList()).content().stream().map(e -> e.vector()).toList());
	}

	/** @param embedder texts → unit or non-unit vectors of one model (MiniLM in the app, a fake in unit tests) */
	ConceptVocabulary(Function<List<String>, List<float[]>> embedder) {
		this.embedder = embedder;
	}

	/**
	 * @param byMass token keys with their activation mass, heaviest first
	 * @param totalMass the feature's whole activation mass (shares are of this)
	 * @return categories with their mass share, largest first; tokens that fit none are left out
	 */
	List<Group> groups(List<Map.Entry<String, Double>> byMass, double totalMass) {
		List<Map.Entry<String, Double>> considered = byMass.subList(0, Math.min(TOKENS_CONSIDERED, byMass.size()));
		List<String> needEmbedding = new ArrayList<>();
		for (Map.Entry<String, Double> e : considered) {
			if (closedClass(e.getKey()) == null && isOpenWord(e.getKey()) && !this.cache.containsKey(e.getKey())) {
				needEmbedding.add(e.getKey());
			}
		}
		embed(needEmbedding);
		Map<String, Double> share = new LinkedHashMap<>();
		Map<String, List<String>> members = new HashMap<>();
		for (Map.Entry<String, Double> e : considered) {
			String category = category(e.getKey());
			if (category != null) {
				share.merge(category, e.getValue() / totalMass, Double::sum);
				members.computeIfAbsent(category, c -> new ArrayList<>()).add(e.getKey());
			}
		}
		return share.entrySet().stream()
			.sorted(Map.Entry.<String, Double>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
			.map(e -> new Group(e.getKey(), e.getValue(), List.copyOf(members.get(e.getKey()))))
			.toList();
	}

	/** @return the token's category, or null when it fits none */
	String category(String key) {
		String closed = closedClass(key);
		if (closed != null || !isOpenWord(key)) {
			return closed;
		}
		float[] v = this.cache.get(key);
		if (v == null) {
			embed(List.of(key));
			v = this.cache.get(key);
		}
		List<float[]> concepts = conceptVectors();
		List<String> names = new ArrayList<>(OPEN_CLASSES.keySet());
		double best = -1;
		double second = -1;
		String bestName = null;
		for (int i = 0; i < names.size(); i++) {
			double c = EmbeddingScorer.cosine(v, concepts.get(i));
			if (c > best) {
				second = best;
				best = c;
				bestName = names.get(i);
			}
			else if (c > second) {
				second = c;
			}
		}
		return best >= MIN_SIMILARITY && best - second >= MIN_MARGIN ? bestName : null;
	}

	/** Word classes and forms recognised by rule, or null. */
	static String closedClass(String key) {
		if (key.chars().noneMatch(Character::isLetterOrDigit)) {
			return key.equals("⏎") || key.equals("␣") ? "whitespace" : "punctuation";
		}
		if (key.chars().allMatch(Character::isDigit)) {
			return "numbers";
		}
		for (Map.Entry<String, Set<String>> e : CLOSED_CLASSES.entrySet()) {
			if (e.getValue().contains(key)) {
				return e.getKey();
			}
		}
		if (key.length() >= 5 && key.endsWith("ing")) {
			return "-ing forms";
		}
		if (key.length() >= 5 && key.endsWith("ly") && !Set.of("family", "belly", "jelly", "lily", "silly", "holly").contains(key)) {
			return "adverbs in -ly";
		}
		if (key.length() >= 5 && key.endsWith("ed") && !Set.of("bed", "red", "seed", "need", "speed", "shed", "sled").contains(key)) {
			return "past-tense verbs";
		}
		return null;
	}

	private static boolean isOpenWord(String key) {
		return key.length() >= 3 && key.chars().allMatch(Character::isLetter);
	}

	private void embed(List<String> keys) {
		if (keys.isEmpty()) {
			return;
		}
		List<float[]> vectors = this.embedder.apply(keys);
		for (int i = 0; i < keys.size(); i++) {
			this.cache.put(keys.get(i), vectors.get(i));
		}
	}

	private List<float[]> conceptVectors() {
		List<float[]> v = this.conceptVectors;
		if (v == null) {
			v = this.embedder.apply(new ArrayList<>(OPEN_CLASSES.values()));
			this.conceptVectors = v;
		}
		return v;
	}

	private static Map<String, String> openClasses() {
		Map<String, String> m = new LinkedHashMap<>();
		m.put("animals", "animal");
		m.put("places", "place, location, outdoors");
		m.put("people", "person, people, family member");
		m.put("first names", "a person's first name");
		m.put("food", "food and drink");
		m.put("colours", "colour");
		m.put("feelings", "emotion, feeling");
		m.put("body parts", "body part");
		m.put("toys", "toy, game, ball");
		m.put("nature", "tree, flower, plant, nature");
		m.put("weather", "weather, rain, sun");
		m.put("time words", "time, day, night");
		m.put("size words", "big or small size");
		m.put("motion verbs", "move, walk, run, jump");
		m.put("speech verbs", "say, tell, ask, shout");
		m.put("household objects", "household object, furniture");
		m.put("clothing", "clothes");
		m.put("vehicles", "vehicle, car, boat");
		m.put("sounds", "sound, noise");
		m.put("praise words", "good, nice, pretty, kind");
		return m;
	}

	private static Map<String, Set<String>> closedClasses() {
		Map<String, Set<String>> m = new LinkedHashMap<>();
		m.put("pronouns", Set.of("i", "you", "he", "she", "it", "we", "they", "him", "her", "them", "me", "us", "his",
				"its", "their", "my", "your", "our", "himself", "herself", "itself", "themselves", "myself"));
		m.put("articles and determiners", Set.of("the", "a", "an", "this", "that", "these", "those", "some", "every",
				"each", "any", "no", "all", "many", "much", "another"));
		m.put("prepositions", Set.of("in", "on", "at", "to", "with", "of", "for", "from", "into", "under", "over", "by",
				"up", "down", "out", "off", "around", "behind", "near", "through", "about", "inside", "outside", "onto"));
		m.put("conjunctions", Set.of("and", "but", "or", "so", "because", "when", "while", "if", "then", "than",
				"until", "before", "after"));
		m.put("auxiliary verbs", Set.of("was", "is", "were", "are", "be", "been", "am", "had", "has", "have", "did",
				"do", "does", "could", "would", "can", "will", "should", "must", "might", "may"));
		m.put("number words", Set.of("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
				"first", "second", "third"));
		m.put("past-tense verbs", Set.of("went", "saw", "said", "ran", "came", "took", "gave", "made", "got", "found",
				"felt", "knew", "thought", "told", "began", "ate", "sat", "fell", "flew", "swam", "left",
				"heard", "held", "brought", "bought", "caught", "taught", "won", "lost", "met", "put", "hid", "drew"));
		return m;
	}
}
