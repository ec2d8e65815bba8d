package dev.lumen.review;

import dev.lumen.audit.AuditLog;
import java.sql.Array;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Per category, what "find candidates" looks for (table {@code suggestion_set}): keywords searched for in
 * feature labels, and prompts for the multi-prompt activation filter. Admins edit both; edits are audited.
 */
@Service
public class SuggestionSets {

	/** Entries per list at most, and characters per keyword and per prompt. */
	static final int MAX_ENTRIES = 100;

	static final int MAX_KEYWORD_LENGTH = 100;

	static final int MAX_PROMPT_LENGTH = 2000;

	/** One category's keywords and prompts. */
	public record SuggestionSet(List<String> keywords, List<String> prompts) {

		/** @return the keywords one per line, as the edit form shows them */
		public String keywordsText() {
			return String.join("\n", this.keywords);
		}

		/** @return the prompts one per line */
		public String promptsText() {
			return String.join("\n", this.prompts);
		}
	}

	private final JdbcTemplate jdbc;

	private final AuditLog audit;

	public SuggestionSets(JdbcTemplate jdbc, AuditLog audit) {
		this.jdbc = jdbc;
		this.audit = audit;
	}

	/** @return every category's set, empty lists for a category without a row */
	@Transactional(readOnly = true)
	public Map<FlagCategory, SuggestionSet> all() {
		Map<FlagCategory, SuggestionSet> sets = new EnumMap<>(FlagCategory.class);
		for (FlagCategory c : FlagCategory.values()) {
			sets.put(c, new SuggestionSet(List.of(), List.of()));
		}
		this.jdbc.query("SELECT category, keywords, prompts FROM suggestion_set", rs -> {
			sets.put(FlagCategory.valueOf(rs.getString(1)), new SuggestionSet(strings(rs.getArray(2)), strings(rs.getArray(3))));
		});
		return sets;
	}

	/**
	 * Replaces one category's keywords: one per line or comma-separated, matched case-insensitively as substrings.
	 * @return the stored keywords
	 */
	@Transactional
	public List<String> setKeywords(String actor, FlagCategory category, String text) {
		List<String> keywords = entries(text, "[,\\n]", MAX_KEYWORD_LENGTH, "keywords");
		store(actor, category, "keywords", all().get(category).keywords(), keywords);
		return keywords;
	}

	/**
	 * Replaces one category's prompts, one per line.
	 * @return the stored prompts
	 */
	@Transactional
	public List<String> setPrompts(String actor, FlagCategory category, String text) {
		List<String> prompts = entries(text, "\\n", MAX_PROMPT_LENGTH, "prompts");
		store(actor, category, "prompts", all().get(category).prompts(), prompts);
		return prompts;
	}

	private void store(String actor, FlagCategory category, String column, List<String> before, List<String> after) {
		// column is one of two constants above, never user text
		this.jdbc.update("INSERT INTO suggestion_set (category, " + column + ") VALUES (?, ?::text[]) ON CONFLICT (category) "
				+ "DO UPDATE SET " + column + " = EXCLUDED." + column + ", updated_at = now(), version = suggestion_set.version + 1",
				category.name(), after.toArray(String[]::new));
		this.audit.record(actor, "suggestion." + column, "suggestion_set", category.name(), Map.of(column, before),
				Map.of(column, after));
	}

	private static List<String> entries(String text, String separator, int maxLength, String what) {
		List<String> entries = Arrays.stream((text == null ? "" : text).split(separator))
			.map(String::strip)
			.filter(k -> !k.isEmpty())
			.distinct()
			.toList();
		if (entries.size() > MAX_ENTRIES || entries.stream().anyMatch(k -> k.length() > maxLength)) {
			throw new IllegalArgumentException("Use at most " + MAX_ENTRIES + " " + what + " of at most " + maxLength
					+ " characters each");
		}
		return entries;
	}

	private static List<String> strings(Array array) throws SQLException {
		return Arrays.asList((String[]) array.getArray());
	}
}
