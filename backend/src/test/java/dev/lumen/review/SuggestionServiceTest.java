package dev.lumen.review;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.account.Role;
import dev.lumen.audit.AuditEvent;
import dev.lumen.audit.AuditLog;
import dev.lumen.testing.DatabaseTest;
import dev.lumen.testing.ReviewFixture;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.transaction.support.TransactionTemplate;

/** "Find candidates": label search per category's keywords, queued as suggested flags, never confirmed. */
class SuggestionServiceTest extends DatabaseTest {

	@Autowired
	ApplicationContext context;

	@Autowired
	SuggestionService suggestions;

	@Autowired
	FlagService flags;

	@Autowired
	FlagRepository flagRows;

	@Autowired
	FeatureResolver features;

	@Autowired
	AuditLog audit;

	@Autowired
	TransactionTemplate tx;

	ReviewFixture fixture;

	Map<FlagCategory, List<String>> saved;

	String admin;

	@BeforeEach
	void setUp() {
		this.fixture = new ReviewFixture(this.context, 8);
		this.admin = this.fixture.user(Role.ADMIN);
		this.saved = this.suggestions.keywords();
		for (FlagCategory c : FlagCategory.values()) {
			this.suggestions.setKeywords(this.admin, c, "");
		}
	}

	@AfterEach
	void tearDown() {
		this.saved.forEach((c, k) -> this.suggestions.setKeywords(this.admin, c, String.join("\n", k)));
		this.fixture.close();
	}

	@Test
	void labelsMatchingACategorysKeywordsAreSuggestedOnceAndNeverConfirmed() {
		this.suggestions.setKeywords(this.admin, FlagCategory.DECEPTION, "deceiv\nLYING");
		this.suggestions.setKeywords(this.admin, FlagCategory.UNSAFE_CODE, "sql injection, 100%");
		this.fixture.label(1, "Lying about the weather");
		this.fixture.label(2, "text that deceives the reader");
		this.fixture.label(3, "SQL injection in login forms");
		this.fixture.label(4, "cats");
		this.fixture.label(5, "100x faster"); // '%' is matched literally, not as a wildcard
		this.fixture.label(6, "growth of 100% per year");
		this.fixture.label(7, "deceived"); // an older label; the newest one below does not match
		this.fixture.label(7, "dogs");

		Map<FlagCategory, Integer> added = this.suggestions.findCandidates("reviewer-x", this.fixture.sae.getId());

		assertThat(added).containsEntry(FlagCategory.DECEPTION, 2).containsEntry(FlagCategory.UNSAFE_CODE, 2);
		assertThat(suggested(FlagCategory.DECEPTION)).containsExactly(1, 2);
		assertThat(suggested(FlagCategory.UNSAFE_CODE)).containsExactly(3, 6);
		Flag first = this.flagRows.findBySaeIdAndFeatureIndexOrderById(this.fixture.sae.getId(), 1).get(0);
		assertThat(first.getState()).isEqualTo(FlagState.SUGGESTED);
		assertThat(first.getNote()).isEqualTo("Suggested by label search: \"LYING\" in \"Lying about the weather\"");
		assertThat(this.audit.forEntity("flag", first.getId())).extracting(AuditEvent::action).containsExactly("flag.suggest");

		// a second run adds nothing; a reviewer's dismissal is not undone by a later run
		this.flags.transition(this.admin, first.getId(), first.getVersion(), FlagState.DISMISSED, "about the weather only");
		assertThat(this.suggestions.findCandidates("reviewer-x", this.fixture.sae.getId()).values()).allMatch(n -> n == 0);
		assertThat(this.flagRows.findBySaeIdAndFeatureIndexOrderById(this.fixture.sae.getId(), 1)).hasSize(1);
	}

	@Test
	void featuresAlreadyFlaggedInTheCategoryAreNotSuggestedAgain() {
		this.suggestions.setKeywords(this.admin, FlagCategory.BIAS, "stereotyp");
		this.fixture.label(2, "gender stereotypes");
		this.flags.create(this.admin, this.features.require(this.fixture.sae.getId(), 2),
				new FlagService.NewFlag(FlagCategory.BIAS, Severity.HIGH, "already seen", null, null));
		assertThat(this.suggestions.findCandidates("reviewer-x", this.fixture.sae.getId())).containsEntry(FlagCategory.BIAS, 0);
	}

	@Test
	void keywordEditsAreAuditedWithTheOldAndNewSets() {
		this.suggestions.setKeywords(this.admin, FlagCategory.OTHER, "alpha, beta\n\ngamma, alpha");
		assertThat(this.suggestions.keywords().get(FlagCategory.OTHER)).containsExactly("alpha", "beta", "gamma");
		AuditEvent event = this.audit.forEntity("suggestion_set", "OTHER").get(this.audit.forEntity("suggestion_set", "OTHER").size() - 1);
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
