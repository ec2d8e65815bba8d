package dev.lumen.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.lumen.account.Role;
import dev.lumen.review.FeatureResolver;
import dev.lumen.review.Flag;
import dev.lumen.review.FlagCategory;
import dev.lumen.review.FlagService;
import dev.lumen.review.Severity;
import dev.lumen.testing.DatabaseTest;
import dev.lumen.testing.ReviewFixture;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The audit log is append-only in the database, for the application's own database user (the one these tests
 * and the app connect as, which also owns the table because it ran the migrations): UPDATE, DELETE and TRUNCATE
 * are refused without privileges, refused by triggers once privileges are granted back, and a change made by
 * disabling the triggers is caught by the hash chain.
 */
class AuditLogImmutabilityTest extends DatabaseTest {

	@Autowired
	ApplicationContext context;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	TransactionTemplate tx;

	@Autowired
	AuditLog audit;

	@Autowired
	FlagService flags;

	@Autowired
	FeatureResolver features;

	ReviewFixture fixture;

	long eventId;

	@BeforeEach
	void setUp() {
		this.fixture = new ReviewFixture(this.context, 4);
		String reviewer = this.fixture.user(Role.REVIEWER);
		Flag flag = this.flags.create(reviewer, this.features.require(this.fixture.sae.getId(), 3),
				new FlagService.NewFlag(FlagCategory.POWER_SEEKING, Severity.HIGH, "audited", null, null));
		this.eventId = this.audit.forEntity("flag", flag.getId()).get(0).id();
	}

	@AfterEach
	void tearDown() {
		this.fixture.close();
	}

	@Test
	void applicationUserHasNoUpdateDeleteOrTruncatePrivilege() {
		String user = this.jdbc.queryForObject("SELECT current_user", String.class);
		// a superuser (e.g. a Testcontainers database's user) bypasses privileges; the triggers below still hold
		assumeFalse(this.jdbc.queryForObject("SELECT rolsuper FROM pg_roles WHERE rolname = current_user", Boolean.class),
				user + " is a superuser");
		for (String privilege : List.of("UPDATE", "DELETE", "TRUNCATE")) {
			assertThat(this.jdbc.queryForObject("SELECT has_table_privilege(current_user, 'audit_event', ?)", Boolean.class,
					privilege)).as("%s may %s", user, privilege).isFalse();
		}
		assertThatThrownBy(() -> this.jdbc.update("UPDATE audit_event SET actor = 'mallory' WHERE id = ?", this.eventId))
			.rootCause().hasMessageContaining("permission denied for table audit_event");
		assertThatThrownBy(() -> this.jdbc.update("DELETE FROM audit_event WHERE id = ?", this.eventId))
			.rootCause().hasMessageContaining("permission denied for table audit_event");
		assertThatThrownBy(() -> this.jdbc.execute("TRUNCATE audit_event")).rootCause()
			.hasMessageContaining("permission denied for table audit_event");
		assertThat(actorOf(this.eventId)).isEqualTo(this.audit.forEntity("flag", entityOf(this.eventId)).get(0).actor());
	}

	@Test
	void triggersRejectChangesEvenAfterTheOwnerGrantsItselfThePrivilegesBack() {
		for (String change : List.of("UPDATE audit_event SET actor = 'mallory' WHERE id = " + this.eventId,
				"DELETE FROM audit_event WHERE id = " + this.eventId, "TRUNCATE audit_event")) {
			assertThatThrownBy(() -> this.tx.executeWithoutResult(status -> {
				this.jdbc.execute("GRANT UPDATE, DELETE, TRUNCATE ON audit_event TO CURRENT_USER");
				this.jdbc.execute(change);
			})).as(change).rootCause().hasMessageContaining("audit_event is append-only");
		}
		assertThat(actorOf(this.eventId)).startsWith("t-reviewer-");
		assertThat(this.jdbc.queryForObject("SELECT has_table_privilege(current_user, 'audit_event', 'UPDATE')", Boolean.class))
			.as("the GRANT rolled back with the failed change")
			.isFalse();
	}

	@Test
	void aChangeMadeWithTheTriggersDisabledBreaksTheHashChain() {
		assertThat(this.audit.chainBreaks()).isEmpty();
		List<String> breaks = this.tx.execute(status -> {
			this.jdbc.execute("ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_update");
			this.jdbc.execute("GRANT UPDATE ON audit_event TO CURRENT_USER");
			this.jdbc.update("UPDATE audit_event SET after = '{\"note\": \"nothing to see\"}' WHERE id = ?", this.eventId);
			List<String> found = this.audit.chainBreaks();
			status.setRollbackOnly();
			return found;
		});
		assertThat(breaks).containsExactly("#" + this.eventId + ": content changed");
		assertThat(this.audit.chainBreaks()).isEmpty();
	}

	@Test
	void eachRowLinksToThePreviousRowsHashWhateverHashTheWriterSupplies() {
		this.tx.executeWithoutResult(status -> this.audit.record("tester", "test.one", "test", 1, null, null));
		this.tx.executeWithoutResult(status -> this.jdbc.update(
				"INSERT INTO audit_event (actor, action, entity_type, entity_id, hash) VALUES ('tester', 'test.forged', 'test', '2', '\\x00'::bytea)"));
		List<byte[][]> rows = this.jdbc.query("SELECT prev_hash, hash FROM audit_event ORDER BY id DESC LIMIT 2",
				(rs, n) -> new byte[][] { rs.getBytes(1), rs.getBytes(2) });
		assertThat(rows.get(0)[0]).isEqualTo(rows.get(1)[1]);
		assertThat(rows.get(0)[1]).hasSize(32).isNotEqualTo(new byte[] { 0 });
		assertThat(this.audit.chainBreaks()).isEmpty();
	}

	private String actorOf(long id) {
		return this.jdbc.queryForObject("SELECT actor FROM audit_event WHERE id = ?", String.class, id);
	}

	private String entityOf(long id) {
		return this.jdbc.queryForObject("SELECT entity_id FROM audit_event WHERE id = ?", String.class, id);
	}
}
