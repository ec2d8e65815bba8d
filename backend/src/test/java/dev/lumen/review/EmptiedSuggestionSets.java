package dev.lumen.review;

import java.util.Map;

/**
 * Clears every category's suggestion keywords and prompts for a test (as {@code admin}) and puts the previous ones
 * back on {@link #close()}, so tests see only the sets they write.
 */
final class EmptiedSuggestionSets implements AutoCloseable {

	private final SuggestionSets sets;

	private final String admin;

	private final Map<FlagCategory, SuggestionSets.SuggestionSet> saved;

	EmptiedSuggestionSets(SuggestionSets sets, String admin) {
		this.sets = sets;
		this.admin = admin;
		this.saved = sets.all();
		for (FlagCategory c : FlagCategory.values()) {
			sets.setKeywords(admin, c, "");
			sets.setPrompts(admin, c, "");
		}
	}

	@Override
	public void close() {
		this.saved.forEach((c, set) -> {
			this.sets.setKeywords(this.admin, c, set.keywordsText());
			this.sets.setPrompts(this.admin, c, set.promptsText());
		});
	}
}
