package dev.lumen.sae;

import java.util.List;

/**
 * A page asked for a model, SAE or feature Lumen does not have. Carries what to show instead: a message and
 * links to what does exist, rendered as a 404 page (or a JSON problem under {@code /api}).
 */
public class NotInCatalogException extends RuntimeException {

	private final String heading;

	private final List<Suggestion> suggestions;

	public NotInCatalogException(String heading, String detail, List<Suggestion> suggestions) {
		super(detail);
		this.heading = heading;
		this.suggestions = List.copyOf(suggestions);
	}

	/** @return a short title, e.g. "Unknown SAE" */
	public String getHeading() {
		return this.heading;
	}

	/** @return links to pages that do exist */
	public List<Suggestion> getSuggestions() {
		return this.suggestions;
	}

	/** A link shown on the 404 page. */
	public record Suggestion(String label, String href) {
	}
}
