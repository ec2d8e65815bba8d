package dev.lumen.review;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import dev.lumen.account.Role;
import dev.lumen.audit.AuditLog;
import dev.lumen.testing.ReviewDatabaseTest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;

/** Two reviewers changing the same flag: the second change is refused with a clear message, nothing is lost. */
@AutoConfigureMockMvc
class FlagConcurrencyTest extends ReviewDatabaseTest {

	@Override
	protected int fixtureFeatures() {
		return 4;
	}

	@Autowired
	MockMvc mvc;

	@Autowired
	FlagRepository flagRows;

	@Autowired
	AuditLog audit;

	String alice;

	String bob;

	Flag flag;

	@BeforeEach
	void setUp() {
		this.alice = this.fixture.user(Role.REVIEWER);
		this.bob = this.fixture.user(Role.REVIEWER);
		this.flag = this.flags.create(this.alice, this.features.require(this.fixture.sae.getId(), 0),
				new FlagService.NewFlag(FlagCategory.DECEPTION, Severity.MEDIUM, "shared", null, null));
	}

	@Test
	void secondReviewerWorkingFromTheSameVersionGets409AndTheFirstChangeSurvives() throws Exception {
		long seen = this.flag.getVersion(); // both opened the flag page at this version
		MockHttpServletResponse first = this.mvc.perform(post("/review/flags/" + this.flag.getId() + "/transition")
			.param("version", "" + seen).param("state", "IN_REVIEW")
			.with(user(this.fixture.login(this.alice))).with(csrf())).andReturn().getResponse();
		assertThat(first.getStatus()).isEqualTo(302);

		MockHttpServletResponse second = this.mvc.perform(post("/review/flags/" + this.flag.getId() + "/severity")
			.param("version", "" + seen).param("severity", "LOW")
			.with(user(this.fixture.login(this.bob))).with(csrf())).andReturn().getResponse();
		assertThat(second.getStatus()).isEqualTo(409);
		assertThat(second.getContentAsString()).contains("Flag #" + this.flag.getId() + " was changed by " + this.alice
				+ " while you were looking at it (it is now in review). Your change was not saved: reload the flag");

		Flag now = this.flagRows.findById(this.flag.getId()).orElseThrow();
		assertThat(now.getState()).isEqualTo(FlagState.IN_REVIEW);
		assertThat(now.getSeverity()).isEqualTo(Severity.MEDIUM);
		assertThat(this.audit.forEntity("flag", this.flag.getId())).extracting(e -> e.action())
			.containsExactly("flag.create", "flag.transition");
	}

	@Test
	void simultaneousChangesFromTheSameVersionCommitExactlyOnce() throws Exception {
		long seen = this.flag.getVersion();
		CountDownLatch start = new CountDownLatch(1);
		ExecutorService pool = Executors.newFixedThreadPool(2);
		try {
			List<Future<String>> results = new ArrayList<>();
			results.add(pool.submit(() -> {
				start.await();
				return attempt(() -> this.flags.transition(this.alice, this.flag.getId(), seen, FlagState.DISMISSED, "not deceptive"));
			}));
			results.add(pool.submit(() -> {
				start.await();
				return attempt(() -> this.flags.transition(this.bob, this.flag.getId(), seen, FlagState.IN_REVIEW, ""));
			}));
			start.countDown();
			List<String> outcomes = new ArrayList<>();
			for (Future<String> r : results) {
				outcomes.add(r.get());
			}
			assertThat(outcomes).containsOnlyOnce("saved");
			assertThat(outcomes).filteredOn(o -> o.startsWith("conflict")).hasSize(1);
		}
		finally {
			pool.shutdownNow();
		}
		Flag now = this.flagRows.findById(this.flag.getId()).orElseThrow();
		assertThat(now.getVersion()).isEqualTo(seen + 1);
		assertThat(this.audit.forEntity("flag", this.flag.getId())).hasSize(2);
	}

	private static String attempt(Runnable change) {
		try {
			change.run();
			return "saved";
		}
		catch (FlagConflictException ex) {
			return "conflict: " + ex.getMessage();
		}
	}
}
