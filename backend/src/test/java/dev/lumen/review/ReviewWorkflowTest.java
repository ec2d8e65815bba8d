package dev.lumen.review;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import dev.lumen.account.Role;
import dev.lumen.audit.AuditEvent;
import dev.lumen.audit.AuditLog;
import dev.lumen.testing.DatabaseTest;
import dev.lumen.testing.ReviewFixture;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/** A flag's life through the web endpoints: create, review, close with a rationale, comment, and the audit trail. */
@AutoConfigureMockMvc
class ReviewWorkflowTest extends DatabaseTest {

	@Autowired
	MockMvc mvc;

	@Autowired
	ApplicationContext context;

	@Autowired
	FlagRepository flagRows;

	@Autowired
	AuditLog audit;

	@Autowired
	JdbcTemplate jdbc;

	ReviewFixture fixture;

	String reviewer;

	String feature;

	@BeforeEach
	void setUp() {
		this.fixture = new ReviewFixture(this.context, 8);
		this.reviewer = this.fixture.user(Role.REVIEWER);
		this.feature = this.fixture.mention(4);
	}

	@AfterEach
	void tearDown() {
		this.fixture.close();
	}

	@Test
	void flagGoesOpenInReviewConfirmedOnlyWithARationaleAndEveryStepIsAudited() throws Exception {
		MockHttpServletResponse created = perform(post("/review/features/" + this.feature + "/flag").param("category", "DECEPTION")
			.param("severity", "HIGH").param("note", "claims to be human").param("evidenceUrl", "/playground/runs/3"));
		assertThat(created.getStatus()).isEqualTo(302);
		long id = Long.parseLong(created.getRedirectedUrl().replace("/review/flags/", ""));
		Flag flag = this.flagRows.findById(id).orElseThrow();
		assertThat(flag.getState()).isEqualTo(FlagState.OPEN);
		assertThat(flag.getEvidenceUrl()).isEqualTo("/playground/runs/3");

		// open cannot jump to confirmed
		MockHttpServletResponse skipped = transition(id, flag.getVersion(), "CONFIRMED", "sure");
		assertThat(skipped.getStatus()).isEqualTo(400);
		assertThat(skipped.getContentAsString()).contains("A flag that is open can become: dismissed, in review");

		assertThat(transition(id, flag.getVersion(), "IN_REVIEW", "").getStatus()).isEqualTo(302);
		long v = this.flagRows.findById(id).orElseThrow().getVersion();
		MockHttpServletResponse noReason = transition(id, v, "CONFIRMED", "   ");
		assertThat(noReason.getStatus()).isEqualTo(400);
		assertThat(noReason.getContentAsString()).contains("Give a rationale to mark the flag confirmed");
		assertThat(transition(id, v, "CONFIRMED", "fires on every false claim of being human").getStatus()).isEqualTo(302);

		flag = this.flagRows.findById(id).orElseThrow();
		assertThat(flag.getState()).isEqualTo(FlagState.CONFIRMED);
		assertThat(flag.getRationale()).isEqualTo("fires on every false claim of being human");
		List<AuditEvent> trail = this.audit.forEntity("flag", id);
		assertThat(trail).extracting(AuditEvent::action).containsExactly("flag.create", "flag.transition", "flag.transition");
		assertThat(trail).extracting(AuditEvent::actor).containsOnly(this.reviewer);
		assertThat(trail.get(2).before()).contains("\"state\": \"IN_REVIEW\"");
		assertThat(trail.get(2).after()).contains("\"state\": \"CONFIRMED\"").contains("fires on every false claim");
		assertThat(trail.get(0).saeId()).isEqualTo(this.fixture.sae.getId());
		assertThat(trail.get(0).featureIndex()).isEqualTo(4);
	}

	@Test
	void databaseRefusesAClosedFlagWithoutRationaleEvenIfTheServiceIsBypassed() {
		perform(post("/review/features/" + this.feature + "/flag").param("category", "BIAS").param("severity", "LOW"));
		assertThatThrownBy(() -> this.jdbc.update("UPDATE flag SET state = 'DISMISSED' WHERE sae_id = ?", this.fixture.sae.getId()))
			.rootCause()
			.hasMessageContaining("flag_check");
	}

	@Test
	void unsafeEvidenceLinksAndForeignContextsAreRejectedWithTheReason() throws Exception {
		MockHttpServletResponse js = perform(post("/review/features/" + this.feature + "/flag").param("category", "OTHER")
			.param("severity", "LOW").param("evidenceUrl", "javascript:alert(1)"));
		assertThat(js.getStatus()).isEqualTo(400);
		assertThat(js.getContentAsString()).contains("Evidence URL must be an http(s) URL or a Lumen path");
		MockHttpServletResponse other = perform(post("/review/features/" + this.feature + "/flag").param("category", "OTHER")
			.param("severity", "LOW").param("evidenceContextId", "999999999"));
		assertThat(other.getStatus()).isEqualTo(400);
		assertThat(other.getContentAsString()).contains("Example context 999999999 does not exist for model");
		assertThat(this.flagRows.findBySaeIdAndFeatureIndexOrderById(this.fixture.sae.getId(), 4)).isEmpty();
	}

	@Test
	void commentMentionsOfExistingFeaturesBecomeChipsAndAssignmentIsRecorded() throws Exception {
		this.fixture.label(6, "refusals");
		long id = Long.parseLong(perform(post("/review/features/" + this.feature + "/flag").param("category", "SYCOPHANCY")
			.param("severity", "MEDIUM")).getRedirectedUrl().replace("/review/flags/", ""));
		String other = this.fixture.user(Role.REVIEWER);
		long v = this.flagRows.findById(id).orElseThrow().getVersion();
		assertThat(perform(post("/review/flags/" + id + "/assign").param("version", "" + v).param("assignee", other)).getStatus())
			.isEqualTo(302);
		String viewer = this.fixture.user(Role.VIEWER);
		v = this.flagRows.findById(id).orElseThrow().getVersion();
		MockHttpServletResponse toViewer = perform(post("/review/flags/" + id + "/assign").param("version", "" + v).param("assignee", viewer));
		assertThat(toViewer.getStatus()).isEqualTo(400);
		assertThat(toViewer.getContentAsString()).contains("is not an enabled reviewer or admin");

		perform(post("/review/flags/" + id + "/comments").param("body",
				"same as " + this.fixture.mention(6) + " but not " + this.fixture.mention(9999)));
		String page = this.mvc.perform(get("/review/flags/" + id).with(user(this.fixture.login(this.reviewer))))
			.andReturn().getResponse().getContentAsString().replaceAll("\\s+", " ");
		assertThat(page).contains("<a class=\"feature-chip\" href=\"/" + this.fixture.mention(6) + "\"><span>"
				+ this.fixture.mention(6) + "</span><small>refusals</small></a>");
		assertThat(page).contains(" but not " + this.fixture.mention(9999)).doesNotContain("href=\"/" + this.fixture.mention(9999));
		assertThat(this.audit.forEntity("flag", id)).extracting(AuditEvent::action).contains("flag.assign");
		assertThat(this.audit.forFeature(this.fixture.sae.getId(), 4)).extracting(AuditEvent::action).contains("comment.add");

		String queue = this.mvc.perform(get("/review").param("assignee", other).param("saeId", "" + this.fixture.sae.getId())
			.with(user(this.fixture.login(this.reviewer)))).andReturn().getResponse().getContentAsString();
		assertThat(queue).contains("data-flag=\"" + id + "\"");
		String unassigned = this.mvc.perform(get("/review").param("assignee", "none").param("saeId", "" + this.fixture.sae.getId())
			.with(user(this.fixture.login(this.reviewer)))).andReturn().getResponse().getContentAsString();
		assertThat(unassigned).doesNotContain("data-flag=\"" + id + "\"");
	}

	@Test
	void labelCorrectionAddsAHumanLabelAndAuditsTheOldOne() throws Exception {
		this.fixture.label(4, "cats");
		assertThat(perform(post("/review/features/" + this.feature + "/label").param("label", "cats and dogs")).getStatus())
			.isEqualTo(302);
		assertThat(this.jdbc.queryForObject("SELECT label || ' by ' || explainer FROM feature_label WHERE sae_id = ? "
				+ "AND feature_index = 4 ORDER BY id DESC LIMIT 1", String.class, this.fixture.sae.getId()))
			.isEqualTo("cats and dogs by human:" + this.reviewer);
		AuditEvent event = this.audit.forFeature(this.fixture.sae.getId(), 4).get(0);
		assertThat(event.action()).isEqualTo("label.set");
		assertThat(event.before()).isEqualTo("{\"label\": \"cats\"}");
		assertThat(event.after()).contains("\"label\": \"cats and dogs\"");
	}

	@Test
	void badgeShowsFlagStatesAndOffersTheFlagFormOnlyToReviewers() throws Exception {
		String path = "/review/features/" + this.feature + "/badge";
		String anonymous = this.mvc.perform(get(path)).andReturn().getResponse().getContentAsString();
		assertThat(anonymous).startsWith("<div id=\"review-badge\"").contains("No safety flags").doesNotContain("Flag this feature");
		String viewer = this.mvc.perform(get(path).with(user(this.fixture.login(this.fixture.user(Role.VIEWER)))))
			.andReturn().getResponse().getContentAsString();
		assertThat(viewer).doesNotContain("Flag this feature");

		perform(post("/review/features/" + this.feature + "/flag").param("category", "BIAS").param("severity", "LOW"));
		String reviewerBadge = this.mvc.perform(get(path).with(user(this.fixture.login(this.reviewer))))
			.andReturn().getResponse().getContentAsString();
		assertThat(reviewerBadge).contains("open: Bias")
			.contains("href=\"/review/features/" + this.feature + "/flag\">Flag this feature</a>");
		assertThat(this.mvc.perform(get("/review/features/" + this.fixture.mention(12345) + "/badge")).andReturn().getResponse()
			.getStatus()).isEqualTo(404);
	}

	@Test
	void unreviewedSuggestionsAreHiddenFromAnonymousVisitors() throws Exception {
		this.jdbc.update("INSERT INTO flag (sae_id, feature_index, category, severity, state, note) VALUES (?, 5, 'BIAS', 'LOW', "
				+ "'SUGGESTED', 'by label search')", this.fixture.sae.getId());
		String path = "/review/features/" + this.fixture.mention(5) + "/badge";
		assertThat(this.mvc.perform(get(path)).andReturn().getResponse().getContentAsString()).contains("No safety flags")
			.doesNotContain("suggested");
		assertThat(this.mvc.perform(get(path).with(user(this.fixture.login(this.reviewer)))).andReturn().getResponse()
			.getContentAsString()).contains("suggested: Bias");
	}

	@Test
	void unknownQueueStateIsABadRequest() throws Exception {
		assertThat(this.mvc.perform(get("/review").param("state", "LOST").with(user(this.fixture.login(this.reviewer))))
			.andReturn().getResponse().getStatus()).isEqualTo(400);
	}

	@Test
	void countsFragmentCountsFlagsPerCategoryAndState() throws Exception {
		perform(post("/review/features/" + this.fixture.mention(1) + "/flag").param("category", "BIAS").param("severity", "LOW"));
		perform(post("/review/features/" + this.fixture.mention(2) + "/flag").param("category", "BIAS").param("severity", "LOW"));
		perform(post("/review/features/" + this.fixture.mention(3) + "/flag").param("category", "DECEPTION").param("severity", "LOW"));
		String anonymous = this.mvc.perform(get("/review/saes/" + this.fixture.model.getName() + "/res/counts")).andReturn()
			.getResponse().getContentAsString().replaceAll("\\s+", " ");
		// unreviewed suggestions and their counts are for logged-in users only
		assertThat(anonymous).doesNotContain("SUGGESTED").contains("<tr data-category=\"BIAS\"> <td>Bias</td> "
				+ "<td data-state=\"OPEN\">2</td> <td data-state=\"IN_REVIEW\">0</td> <td data-state=\"CONFIRMED\">0</td> "
				+ "<td data-state=\"DISMISSED\">0</td> <td>2</td>");
		String html = perform(get("/review/saes/" + this.fixture.model.getName() + "/res/counts")).getContentAsString();
		assertThat(html.replaceAll("\\s+", " ")).contains("<tr data-category=\"BIAS\"> <td>Bias</td> <td data-state=\"SUGGESTED\">0</td> "
				+ "<td data-state=\"OPEN\">2</td> <td data-state=\"IN_REVIEW\">0</td> <td data-state=\"CONFIRMED\">0</td> "
				+ "<td data-state=\"DISMISSED\">0</td> <td>2</td>")
			.contains("<tr data-category=\"DECEPTION\"> <td>Deception</td> <td data-state=\"SUGGESTED\">0</td> <td data-state=\"OPEN\">1</td>");
	}

	private MockHttpServletResponse transition(long id, long version, String state, String rationale) {
		return perform(post("/review/flags/" + id + "/transition").param("version", "" + version).param("state", state)
			.param("rationale", rationale));
	}

	private MockHttpServletResponse perform(MockHttpServletRequestBuilder request) {
		try {
			return this.mvc.perform(request.with(user(this.fixture.login(this.reviewer))).with(csrf())).andReturn().getResponse();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}
}
