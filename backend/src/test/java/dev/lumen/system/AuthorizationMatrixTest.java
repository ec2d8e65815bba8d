package dev.lumen.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import dev.lumen.account.Role;
import dev.lumen.review.Flag;
import dev.lumen.review.FlagCategory;
import dev.lumen.review.FlagService;
import dev.lumen.review.FeatureResolver;
import dev.lumen.review.ListService;
import dev.lumen.review.Severity;
import dev.lumen.testing.ReviewDatabaseTest;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/**
 * Every mutating endpoint (and the reads that are not public) × anonymous, viewer, reviewer and admin: allowed
 * roles get their change through (a 2xx or a redirect that is not to the login page), the others are refused
 * (anonymous: sent to /login; logged in: 403). Each role acts on fresh targets, so an allowed change of one
 * role cannot hide a refusal of the next.
 */
@AutoConfigureMockMvc
class AuthorizationMatrixTest extends ReviewDatabaseTest {

	@Override
	protected int fixtureFeatures() {
		return 16;
	}

	private static final Set<Role> REVIEWERS = EnumSet.of(Role.REVIEWER, Role.ADMIN);

	private static final Set<Role> ADMINS = EnumSet.of(Role.ADMIN);

	private static final Set<Role> LOGGED_IN = EnumSet.allOf(Role.class);

	@Autowired
	MockMvc mvc;

	@Autowired
	ListService lists;

	String admin;

	@BeforeEach
	void setUp() {
		this.admin = this.fixture.user(Role.ADMIN);
	}

	@AfterEach
	void tearDown() {
		this.context.getBean(org.springframework.jdbc.core.JdbcTemplate.class).update("DELETE FROM app_user WHERE username LIKE 'matrix-%'");
	}

	/** Targets one role's requests act on: a flag, a list owned by another user (an admin) and a user. */
	record Targets(String feature, String sae, long saeId, long flagId, long flagVersion, long listId, long listVersion, long userId,
			String reviewer) {
	}

	record Endpoint(String name, Set<Role> allowed, Function<Targets, MockHttpServletRequestBuilder> request) {
	}

	static List<Endpoint> endpoints() {
		return List.of(
				new Endpoint("flag a feature", REVIEWERS, t -> post("/review/features/" + t.feature() + "/flag")
					.param("category", "BIAS").param("severity", "LOW").param("note", "n")),
				new Endpoint("move a flag", REVIEWERS, t -> post("/review/flags/" + t.flagId() + "/transition")
					.param("version", "" + t.flagVersion()).param("state", "IN_REVIEW")),
				new Endpoint("assign a flag", REVIEWERS, t -> post("/review/flags/" + t.flagId() + "/assign")
					.param("version", "" + t.flagVersion()).param("assignee", t.reviewer())),
				new Endpoint("change severity", REVIEWERS, t -> post("/review/flags/" + t.flagId() + "/severity")
					.param("version", "" + t.flagVersion()).param("severity", "HIGH")),
				new Endpoint("comment", REVIEWERS, t -> post("/review/flags/" + t.flagId() + "/comments").param("body", "c")),
				new Endpoint("correct a label", REVIEWERS, t -> post("/review/features/" + t.feature() + "/label")
					.param("label", "a label")),
				new Endpoint("find candidates", REVIEWERS, t -> post("/review/saes/" + t.sae() + "/candidates")),
				new Endpoint("edit suggestion keywords", ADMINS, t -> post("/review/suggestions/OTHER").param("keywords", "")),
				new Endpoint("edit suggestion prompts", ADMINS, t -> post("/review/suggestions/OTHER/prompts").param("prompts", "")),
				new Endpoint("create a list", REVIEWERS, t -> post("/lists").param("name", "mine")),
				new Endpoint("add to someone else's list", ADMINS, t -> post("/lists/" + t.listId() + "/items")
					.param("feature", t.feature()).param("note", "n")),
				new Endpoint("remove from someone else's list", ADMINS, t -> post("/lists/" + t.listId() + "/items/remove")
					.param("saeId", "" + t.saeId()).param("featureIndex", "1")),
				new Endpoint("rename someone else's list", ADMINS, t -> post("/lists/" + t.listId())
					.param("version", "" + t.listVersion()).param("name", "renamed")),
				new Endpoint("delete someone else's list", ADMINS, t -> post("/lists/" + t.listId() + "/delete")),
				new Endpoint("create a user", ADMINS, t -> post("/admin/users").param("username", "matrix-" + System.nanoTime())
					.param("password", "long enough password").param("role", "VIEWER")),
				new Endpoint("change a role", ADMINS, t -> post("/admin/users/" + t.userId() + "/role").param("role", "REVIEWER")),
				new Endpoint("disable a user", ADMINS, t -> post("/admin/users/" + t.userId() + "/enabled").param("enabled", "false")),
				new Endpoint("change own password", LOGGED_IN, t -> post("/account/password")
					.param("currentPassword", "wrong").param("newPassword", "another long password")),
				// reads that are not public
				new Endpoint("review queue", LOGGED_IN, t -> get("/review")),
				new Endpoint("flag page", LOGGED_IN, t -> get("/review/flags/" + t.flagId())),
				new Endpoint("export flags", LOGGED_IN, t -> get("/review/export.csv")),
				new Endpoint("feature audit log", LOGGED_IN, t -> get("/audit/features/" + t.feature())),
				new Endpoint("flag form", REVIEWERS, t -> get("/review/features/" + t.feature() + "/flag")),
				new Endpoint("global audit log", ADMINS, t -> get("/audit")),
				new Endpoint("user list", ADMINS, t -> get("/admin/users")),
				new Endpoint("suggestion keywords", ADMINS, t -> get("/review/suggestions")));
	}

	@Test
	void everyRoleGetsExactlyTheAccessItsRoleAllows() throws Exception {
		List<String> wrong = new ArrayList<>();
		List<Role> roles = new ArrayList<>(List.of(Role.values()));
		roles.add(0, null); // anonymous
		for (Role role : roles) {
			String username = role == null ? null : this.fixture.user(role);
			String victim = this.fixture.user(Role.VIEWER);
			String reviewer = this.fixture.user(Role.REVIEWER);
			for (Endpoint endpoint : endpoints()) {
				Targets targets = freshTargets(victim, reviewer);
				MockHttpServletRequestBuilder request = endpoint.request().apply(targets).with(csrf());
				if (username != null) {
					request.with(user(this.fixture.login(username)));
				}
				MockHttpServletResponse response = this.mvc.perform(request).andReturn().getResponse();
				boolean allowed = role != null && endpoint.allowed().contains(role);
				String outcome = describe(response);
				boolean ok = allowed ? outcome.equals("allowed")
						: outcome.equals(role == null ? "login required" : "forbidden");
				if (!ok) {
					wrong.add((role == null ? "anonymous" : role) + " × " + endpoint.name() + ": expected "
							+ (allowed ? "allowed" : "denied") + ", got " + outcome + " (" + response.getStatus() + ")");
				}
			}
		}
		assertThat(wrong).isEmpty();
	}

	@Test
	void badgeCountsAndListsAreReadableWithoutLoginWhenBrowsingIsPublic() throws Exception {
		Targets t = freshTargets(this.fixture.user(Role.VIEWER), this.admin);
		for (String path : List.of("/review/features/" + t.feature() + "/badge", "/review/saes/" + t.sae() + "/counts",
				"/lists", "/lists/" + t.listId(), "/lists/" + t.listId() + "/export.json", "/")) {
			assertThat(this.mvc.perform(get(path)).andReturn().getResponse().getStatus()).as(path).isEqualTo(200);
		}
	}

	/** A new flag and list per request; the users change at most once per role, so they are shared. */
	private Targets freshTargets(String victim, String reviewer) {
		var feature = this.features.require(this.fixture.sae.getId(), 1);
		Flag flag = this.flags.create(this.admin, feature,
				new FlagService.NewFlag(FlagCategory.DECEPTION, Severity.MEDIUM, "matrix", null, null));
		var list = this.lists.create(this.admin, "admin's list", "");
		this.lists.addItem(this.admin, list.getId(), feature.mention(), "");
		long victimId = this.context.getBean(dev.lumen.account.AppUserRepository.class).findByUsername(victim).orElseThrow().getId();
		return new Targets(feature.mention(), this.fixture.model.getName() + "/" + this.fixture.sae.getName(),
				this.fixture.sae.getId(), flag.getId(),
				flag.getVersion(), list.getId(), this.lists.find(list.getId()).getVersion(), victimId,
				reviewer);
	}

	private static String describe(MockHttpServletResponse response) {
		int status = response.getStatus();
		String location = response.getRedirectedUrl();
		if (status == 302 && location != null && location.endsWith("/login")) {
			return "login required";
		}
		if (status == 401) {
			return "login required";
		}
		if (status == 403) {
			return "forbidden";
		}
		if (status >= 200 && status < 400) {
			return "allowed";
		}
		return "status " + status;
	}
}
