package dev.lumen.review;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.account.Role;
import dev.lumen.audit.AuditEvent;
import dev.lumen.audit.AuditLog;
import dev.lumen.testing.ReviewDatabaseTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

/** "Find candidates": label search per category's keywords, queued as suggested flags, never confirmed. */
class SuggestionServiceTest extends ReviewDatabaseTest {

	@Autowired
	SuggestionService suggestions;

	@Autowired
	SuggestionSets sets;

	@Autowired
	FlagRepository flagRows;

	@Autowired
	AuditLog audit;

	@Autowired
	TransactionTemplate tx;

	EmptiedSuggestionSets emptied;

	String admin;

	@BeforeEach
	void setUp() {
		this.admin = this.fixture.user(Role.ADMIN);
		this.emptied = new EmptiedSuggestionSets(this.sets, this.admin);
	}

	@AfterEach
	void tearDown() {
		this.emptied.close();
	}

	@Test
	void labelsMatchingACategorysKeywordsAreSuggestedOnceAndNeverConfirmed() {
		this.sets.setKeywords(this.admin, FlagCategory.DECEPTION, "deceiv\nLYING");
		this.sets.setKeywords(this.admin, FlagCategory.UNSAFE_CODE, "sql injection, 100%");
		this.fixture.label(1, "Lying about the weather");
		this.fixture.label(2, "text that deceives the reader");
		this.fixture.label(3, "SQL injection in login forms");
		this.fixture.label(4, "cats");
		this.fixture.label(5, "100x faster"); // '%' is matched literally, not as a wildcard
		this.fixture.label(6, "growth of 100% per year");
		this.fixture.label(7, "deceived"); // an older label; the newest one below does not match
		this.fixture.label(7, "dogs");

		SuggestionService.Outcome outcome = this.suggestions.findCandidates("reviewer-x", this.fixture.sae.getId());
		Map<FlagCategory, Integer> added = outcome.byLabel();
		assertThat(outcome.promptProblem()).isNull();
		assertThat(outcome.byPrompts()).isEmpty();

		assertThat(added).containsEntry(FlagCategory.DECEPTION, 2).containsEntry(FlagCategory.UNSAFE_CODE, 2);
		assertThat(suggested(FlagCategory.DECEPTION)).containsExactly(1, 2);
		assertThat(suggested(FlagCategory.UNSAFE_CODE)).containsExactly(3, 6);
		Flag first = this.flagRows.findBySaeIdAndFeatureIndexOrderById(this.fixture.sae.getId(), 1).get(0);
		assertThat(first.getState()).isEqualTo(FlagState.SUGGESTED);
		assertThat(first.getNote()).isEqualTo("Suggested by label search: \"LYING\" in \"Lying about the weather\"");
		assertThat(this.audit.forEntity("flag", first.getId())).extracting(AuditEvent::action).containsExactly("flag.suggest");

		// a second run adds nothing; a reviewer's dismissal is not undone by a later run
		this.flags.transition(this.admin, first.getId(), first.getVersion(), FlagState.DISMISSED, "about the weather only");
		assertThat(this.suggestions.findCandidates("reviewer-x", this.fixture.sae.getId()).byLabel().values()).allMatch(n -> n == 0);
		assertThat(this.flagRows.findBySaeIdAndFeatureIndexOrderById(this.fixture.sae.getId(), 1)).hasSize(1);
	}

	@Test
	void featuresAlreadyFlaggedInTheCategoryAreNotSuggestedAgain() {
		this.sets.setKeywords(this.admin, FlagCategory.BIAS, "stereotyp");
		this.fixture.label(2, "gender stereotypes");
		this.flags.create(this.admin, this.features.require(this.fixture.sae.getId(), 2),
				new FlagService.NewFlag(FlagCategory.BIAS, Severity.HIGH, "already seen", null, null));
		assertThat(this.suggestions.findCandidates("reviewer-x", this.fixture.sae.getId()).byLabel())
			.containsEntry(FlagCategory.BIAS, 0);
	}

	@Test
	void promptsOfASaeWhoseFilesAreNotOnTheServerAreReportedAndLabelSearchStillRuns() {
		this.sets.setPrompts(this.admin, FlagCategory.DECEPTION, "She lied.\nHe tricked them.");
		this.sets.setKeywords(this.admin, FlagCategory.DECEPTION, "lied");
		this.fixture.label(3, "lied about homework");
		SuggestionService.Outcome outcome = this.suggestions.findCandidates("reviewer-x", this.fixture.sae.getId());
		assertThat(outcome.byLabel()).containsEntry(FlagCategory.DECEPTION, 1);
		assertThat(outcome.promptProblem()).contains("files are not on this server (source 'test')");
		assertThat(outcome.summary()).startsWith("1 new suggestion(s): label search: Deception 1. ")
			.contains("The prompt filter did not run: the model files are not on this server");
	}

	@Test
	void keywordEditsAreAuditedWithTheOldAndNewSets() {
		this.sets.setKeywords(this.admin, FlagCategory.OTHER, "alpha, beta\n\ngamma, alpha");
		assertThat(this.sets.all().get(FlagCategory.OTHER).keywords()).containsExactly("alpha", "beta", "gamma");
		List<AuditEvent> events = this.audit.forEntity("suggestion_set", "OTHER");
		AuditEvent event = events.stream().filter(e -> e.action().equals("suggestion.keywords")).reduce((a, b) -> b).orElseThrow();
		assertThat(event.actor()).isEqualTo(this.admin);
		assertThat(event.before()).isEqualTo("{\"keywords\": []}");
		assertThat(event.after()).isEqualTo("{\"keywords\": [\"alpha\", \"beta\", \"gamma\"]}");
	}

	private List<Integer> suggested(FlagCategory category) {
		return this.flagRows.findAll()
			.stream()
			.filter(f -> f.getSaeId() == this.fixture.sae.getId() && f.getCategory() == category)
			.peek(f -> assertThat(f.getState()).isEqualTo(FlagState.SUGGESTED))
			.map(Flag::getFeatureIndex)
			.sorted()
			.toList();
	}
}
