package dev.lumen.autointerp;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The pattern an offline label states, read back from its text so that it can be applied by rule: the tokens it
 * quotes, the token it says must come before ({@code after "P"}), the categories it names ({@code animals (...)}),
 * a position ({@code at the start of a line}), words near the peak ({@code near w}) and window-start artefacts.
 */
record LabelPattern(Set<String> tokens, String before, Set<String> categories, String position, Set<String> nearWords,
		boolean windowStart, boolean anyWord) {

	private static final Pattern QUOTED = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"");

	private static final Pattern AFTER = Pattern.compile("(?<!mostly )after \"((?:[^\"\\\\]|\\\\.)*)\"");

	private static final Pattern NEAR = Pattern.compile(" near ([\\p{L}', ]+?)(?:\\)| /|$| \\()");

	/** Reads a label written by {@link HeuristicExplainer} (and qualified by {@link DistinctLabels}). */
	static LabelPattern parse(String label) {
		String main = label.replaceAll(" \\((?:mostly after|near|strongest in)[^)]*\\)$", "");
		Matcher after = AFTER.matcher(main);
		String before = after.find() ? PeakPatterns.key(unescape(after.group(1))) : null;
		Set<String> tokens = new HashSet<>();
		Matcher q = QUOTED.matcher(main);
		while (q.find()) {
			String token = PeakPatterns.key(unescape(q.group(1)));
			if (!(before != null && token.equals(before) && main.contains("after " + q.group(0)))) {
				tokens.add(token);
			}
		}
		Set<String> categories = new HashSet<>();
		for (String name : categoryNames()) {
			int at = main.indexOf(name + " (");
			if (at == 0 || (at > 0 && main.startsWith("/ ", at - 2))) {
				categories.add(name);
				// the examples in brackets are members, not extra tokens
				int close = main.indexOf(')', at);
				for (String member : main.substring(at + name.length() + 2, Math.max(close, at + name.length() + 2)).split(", ")) {
					tokens.remove(member.strip().toLowerCase(java.util.Locale.ROOT));
				}
			}
		}
		String position = main.contains("at the start of a line") ? "line"
				: main.contains("right after a quote mark") ? "quote"
						: main.contains("after the end of a sentence") ? "sentence"
								: main.contains("inside a word") ? "word" : null;
		Set<String> near = new HashSet<>();
		Matcher n = NEAR.matcher(main);
		if (n.find()) {
			for (String w : n.group(1).split(", ")) {
				near.add(w.strip().toLowerCase(java.util.Locale.ROOT));
			}
		}
		return new LabelPattern(tokens, before, categories, position, near, main.startsWith("window-start artefact"),
				main.startsWith("words "));
	}

	private static List<String> categoryNames() {
		List<String> names = new ArrayList<>(ConceptVocabulary.OPEN_CLASSES.keySet());
		names.addAll(List.of("pronouns", "articles and determiners", "prepositions", "conjunctions", "auxiliary verbs",
				"number words", "past-tense verbs", "-ing forms", "adverbs in -ly", "punctuation", "whitespace", "numbers"));
		return names;
	}

	private static String unescape(String s) {
		return s.replaceAll("\\\\(.)", "$1");
	}
}
