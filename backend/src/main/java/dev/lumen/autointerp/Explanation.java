package dev.lumen.autointerp;

/**
 * A label for a feature and the paragraph behind it. The text may come from a language model or a corpus, so it is
 * untrusted: stored as plain text, escaped by pages.
 *
 * @param explainer who wrote it: {@code heuristic}, {@code anthropic:<model>}, ...
 * @param heuristic true when no language model was involved (pages mark such labels)
 */
public record Explanation(String label, String description, String explainer, boolean heuristic) {

	/** Longest label stored; the review helper uses the same bound for corrected labels. */
	public static final int MAX_LABEL_LENGTH = 500;

	public Explanation {
		if (label == null || label.isBlank()) {
			throw new IllegalArgumentException("an explanation needs a label");
		}
		label = label.strip();
		if (label.length() > MAX_LABEL_LENGTH) {
			throw new IllegalArgumentException("label longer than " + MAX_LABEL_LENGTH + " characters");
		}
	}
}
