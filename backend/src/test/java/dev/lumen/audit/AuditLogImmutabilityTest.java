package dev.lumen.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lumen.account.Role;
import dev.lumen.review.FeatureResolver;
import dev.lumen.review.Flag;
import dev.lumen.review.FlagCategory;
import dev.lumen.review.FlagService;
import dev.lumen.review.Severity;
import dev.lumen.testing.DatabaseTest;
import dev.lumen.testing.ReviewFixture;
import dev.lumen.testing.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The audit log is append-only in the database. The application role (a separate login that owns nothing) may
 * read and append but has no UPDATE, DELETE or TRUNCATE privilege and cannot disable the triggers; the owner (which
 * these tests connect as, like the migrations) is refused by triggers even after granting itself the privileges,
 * and a change or a deleted tail made with the triggers disabled is caught by the hash chain and its anchor.
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
	void theAppRoleMayReadAndAppendTheAuditLogButNeverChangeDeleteTruncateOrUnhookIt() throws Exception {
		try (Connection app = appRoleConnection(); Statement st = app.createStatement()) {
			assertThat(single(st, "SELECT current_user")).isEqualTo(TestDatabase.target().appUser());
			assertThat(single(st, "SELECT rolsuper::text FROM pg_roles WHERE rolname = current_user")).isEqualTo("false");
			assertThat(single(st, "SELECT actor FROM audit_event WHERE id = " + this.eventId)).startsWith("t-reviewer-");
			assertThat(st.executeUpdate("INSERT INTO audit_event (actor, action, entity_type, entity_id, hash) "
					+ "VALUES ('app', 'test.append', 'test', '1', ''::bytea)")).isEqualTo(1);
			for (String change : List.of("UPDATE audit_event SET actor = 'mallory' WHERE id = " + this.eventId,
					"DELETE FROM audit_event WHERE id = " + this.eventId, "TRUNCATE audit_event",
					"UPDATE audit_anchor SET last_id = 1")) {
				assertThatThrownBy(() -> st.execute(change)).as(change)
					.hasMessageContaining("permission denied");
			}
			assertThatThrownBy(() -> st.execute("ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_update"))
				.hasMessageContaining("must be owner");
			// what the app needs beyond rows: an SAE's decoder index, through the owner's function
			st.execute("SELECT create_sae_decoder_index(" + this.fixture.sae.getId() + ")");
		}
		assertThat(actorOf(this.eventId)).startsWith("t-reviewer-");
		assertThat(this.audit.chainBreaks()).isEmpty();
	}

	@Test
	void aDeletedTailNoLongerMatchesTheAnchor() {
		this.tx.executeWithoutResult(status -> this.audit.record("tester", "test.last", "test", 1, null, null));
		long last = this.jdbc.queryForObject("SELECT max(id) FROM audit_event", Long.class);
		List<String> breaks = this.tx.execute(status -> {
			this.jdbc.execute("ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_update");
			this.jdbc.execute("GRANT DELETE ON audit_event TO CURRENT_USER");
			this.jdbc.update("DELETE FROM audit_event WHERE id = ?", last);
			List<String> found = this.audit.chainBreaks();
			status.setRollbackOnly();
			return found;
		});
		assertThat(breaks).containsExactly("#" + last + ": tail deleted: the anchor names a newer row");
		assertThat(this.audit.chainBreaks()).isEmpty();
	}

	/**
	 * The application role's own connection. On a Testcontainers database (whose user is a superuser) the role is
	 * created here; on the local cluster it must exist already ({@code db/scripts/local-db.sh start} makes it):
	 * this test never skips.
	 */
	private Connection appRoleConnection() throws Exception {
		TestDatabase.Target db = TestDatabase.target();
		boolean exists = this.jdbc.queryForObject("SELECT count(*) FROM pg_roles WHERE rolname = ?", Integer.class,
				db.appUser()) == 1;
		if (!exists && "testcontainers".equals(db.kind())) {
			this.jdbc.execute("CREATE ROLE " + db.appUser() + " LOGIN PASSWORD '" + db.appPassword() + "'");
			this.jdbc.execute("SELECT grant_app_role('" + db.appUser() + "')");
		}
		try {
			return DriverManager.getConnection(db.url(), db.appUser(), db.appPassword());
		}
		catch (java.sql.SQLException ex) {
			throw new AssertionError("cannot connect as the application role " + db.appUser() + " (" + ex.getMessage()
					+ "); db/scripts/local-db.sh start creates it, LUMEN_TEST_DB_APP_USER/PASSWORD name another", ex);
		}
	}

	private static String single(Statement st, String sql) throws Exception {
		try (ResultSet rs = st.executeQuery(sql)) {
			rs.next();
			return rs.getString(1);
		}
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
