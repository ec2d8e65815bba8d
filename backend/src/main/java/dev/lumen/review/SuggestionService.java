package dev.lumen.review;

import dev.lumen.audit.AuditLog;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * "Find candidates" on one SAE, per category: (1) label search — the newest label and description of every
 * feature are searched for the category's keywords; (2) the multi-prompt filter — the category's prompts run
 * through the model and SAE, and features that fire on enough of them ({@link PromptFilter}) qualify. Matches
 * go into the queue as SUGGESTED flags, never as confirmed ones; a feature that already has a flag of that
 * category in any state is not suggested again. The prompts run before the database transaction opens.
 */
@Service
public class SuggestionService {

	/** What one run added per category, by source, and why the prompt filter did not run, if it did not. */
	public record Outcome(Map<FlagCategory, Integer> byLabel, Map<FlagCategory, Integer> byPrompts, String promptProblem) {

		/** @return the message shown to the reviewer */
		public String summary() {
			int total = total(this.byLabel) + total(this.byPrompts);
			String added = total == 0 ? "No new candidates" : total + " new suggestion(s): " + java.util.stream.Stream
				.of(describe(this.byLabel, "label search"), describe(this.byPrompts, "prompt filter"))
				.filter(part -> !part.isEmpty())
				.collect(Collectors.joining("; "));
			return this.promptProblem == null ? added : added + ". The prompt filter did not run: " + this.promptProblem;
		}

		private static int total(Map<FlagCategory, Integer> counts) {
			return counts.values().stream().mapToInt(Integer::intValue).sum();
		}

		private static String describe(Map<FlagCategory, Integer> counts, String source) {
			String parts = counts.entrySet().stream().filter(e -> e.getValue() > 0)
				.map(e -> e.getKey().title() + " " + e.getValue()).collect(Collectors.joining(", "));
			return parts.isEmpty() ? "" : source + ": " + parts;
		}
	}

	private static final Logger log = LoggerFactory.getLogger(SuggestionService.class);

	private final JdbcTemplate jdbc;

	private final AuditLog audit;

	private final SuggestionSets sets;

	private final PromptActivations activations;

	private final PromptFilter filter;

	private final TransactionTemplate tx;

	public SuggestionService(JdbcTemplate jdbc, AuditLog audit, SuggestionSets sets, PromptActivations activations,
			TransactionTemplate tx, @Value("${lumen.review.prompt-filter.min-fraction:0.5}") double minFraction,
			@Value("${lumen.review.prompt-filter.relative-activation:0.25}") double relativeActivation,
			@Value("${lumen.review.prompt-filter.max-density:0.05}") double maxDensity,
			@Value("${lumen.review.prompt-filter.limit:20}") int limit) {
		this.jdbc = jdbc;
		this.audit = audit;
		this.sets = sets;
		this.activations = activations;
		this.tx = tx;
		this.filter = new PromptFilter(minFraction, relativeActivation, maxDensity, limit);
	}

	/** @return the prompt filter's settings */
	public PromptFilter promptFilter() {
		return this.filter;
	}

	/** Runs label search and the prompt filter on one SAE and queues the matches as suggestions. */
	public Outcome findCandidates(String actor, long saeId) {
		Map<FlagCategory, SuggestionSets.SuggestionSet> all = this.sets.all();
		Map<FlagCategory, List<PromptFilter.Candidate>> byPrompts = new EnumMap<>(FlagCategory.class);
		String problem = null;
		try {
			byPrompts = promptCandidates(saeId, all);
		}
		catch (RuntimeException ex) {
			// label search still runs; the reviewer sees why the prompts did not
			log.warn("Prompt filter on SAE {} failed: {}", saeId, ex.toString());
			problem = ex.getMessage();
		}
		Map<FlagCategory, List<PromptFilter.Candidate>> prompted = byPrompts;
		String promptProblem = problem;
		return this.tx.execute(status -> insert(actor, saeId, all, prompted, promptProblem));
	}

	private Map<FlagCategory, List<PromptFilter.Candidate>> promptCandidates(long saeId,
			Map<FlagCategory, SuggestionSets.SuggestionSet> all) {
		Map<FlagCategory, List<PromptFilter.Candidate>> out = new EnumMap<>(FlagCategory.class);
		if (all.values().stream().allMatch(s -> s.prompts().isEmpty())) {
			return out;
		}
		Map<String, Object> sources = this.jdbc.queryForMap("SELECT m.source AS model, s.source AS sae, s.d_sae FROM sae s "
				+ "JOIN model m ON m.id = s.model_id WHERE s.id = ?", saeId);
		int dSae = ((Number) sources.get("d_sae")).intValue();
		Float[] corpusMax = new Float[dSae];
		Float[] density = new Float[dSae];
		this.jdbc.query("SELECT feature_index, max_activation, density FROM feature WHERE sae_id = ?", rs -> {
			int f = rs.getInt(1);
			if (f < dSae) {
				corpusMax[f] = rs.getObject(2, Float.class);
				density[f] = rs.getObject(3, Float.class);
			}
		}, saeId);
		all.forEach((category, set) -> {
			if (!set.prompts().isEmpty()) {
				float[][] acts = this.activations.maxPerPrompt((String) sources.get("model"), (String) sources.get("sae"),
						set.prompts()); // [nPrompts][dSae]
				out.put(category, this.filter.select(acts, corpusMax, density));
			}
		});
		return out;
	}

	private Outcome insert(String actor, long saeId, Map<FlagCategory, SuggestionSets.SuggestionSet> all,
			Map<FlagCategory, List<PromptFilter.Candidate>> byPrompts, String problem) {
		// every insert before any audit row: the audit log's lock always comes last, so concurrent runs wait, not deadlock
		Map<FlagCategory, List<Map<String, Object>>> labelled = new EnumMap<>(FlagCategory.class);
		Map<FlagCategory, List<Map<String, Object>>> prompted = new EnumMap<>(FlagCategory.class);
		all.forEach((category, set) -> {
			if (!set.keywords().isEmpty()) {
				labelled.put(category, this.jdbc.queryForList(SuggestionSql.LABEL_SEARCH, category.name(),
						set.keywords().toArray(String[]::new), saeId));
			}
		});
		byPrompts.forEach((category, candidates) -> {
			List<Map<String, Object>> rows = new ArrayList<>();
			for (PromptFilter.Candidate c : candidates) {
				String note = "Suggested by the prompt filter: fires on %d of %d prompts (mean top activation %.3f)"
					.formatted(c.prompts(), c.of(), c.meanActivation());
				rows.addAll(this.jdbc.queryForList(SuggestionSql.INSERT_ONE, saeId, c.featureIndex(), category.name(), note));
			}
			prompted.put(category, rows);
		});
		return new Outcome(audited(actor, saeId, labelled), audited(actor, saeId, prompted), problem);
	}

	private Map<FlagCategory, Integer> audited(String actor, long saeId, Map<FlagCategory, List<Map<String, Object>>> inserted) {
		Map<FlagCategory, Integer> counts = new EnumMap<>(FlagCategory.class);
		inserted.forEach((category, rows) -> {
			for (Map<String, Object> row : rows) {
				this.audit.recordForFeature(actor, "flag.suggest", "flag", row.get("id"), saeId,
						((Number) row.get("feature_index")).intValue(), null,
						Map.of("category", category.name(), "state", FlagState.SUGGESTED.name(), "note", row.get("note")));
			}
			counts.put(category, rows.size());
		});
		return counts;
	}
}
