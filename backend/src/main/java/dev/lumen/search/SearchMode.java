package dev.lumen.search;

import java.util.Locale;

/** How words in the search box are matched against labels. */
public enum SearchMode {

	/** Full-text and trigram matching of the words ({@link LabelSearchRepository}). */
	TEXT,

	/** Cosine similarity of sentence embeddings: labels that mean something close ({@link SemanticSearchRepository}). */
	SEMANTIC;

	/** @return the mode a {@code mode} request parameter names; anything else (or nothing) is {@link #TEXT} */
	public static SearchMode fromParam(String param) {
		return param != null && param.strip().toLowerCase(Locale.ROOT).equals("semantic") ? SEMANTIC : TEXT;
	}

	/** @return the value of the {@code mode} request parameter */
	public String param() {
		return name().toLowerCase(Locale.ROOT);
	}
}
