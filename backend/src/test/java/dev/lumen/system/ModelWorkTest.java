package dev.lumen.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;

class ModelWorkTest {

	@AfterEach
	void clearUser() {
		SecurityContextHolder.clearContext();
	}

	@Test
	void aFreedSlotGoesToTheKindsInTurnSoAFloodOfOneKindDoesNotStarveAnother() throws Exception {
		ModelWork work = new ModelWork(1, 8, 30, 1000, 4);
		ModelWork.Permit held = work.enter(ModelWork.Kind.STEERING);
		List<String> order = new CopyOnWriteArrayList<>();
		ExecutorService callers = Executors.newFixedThreadPool(5);
		try {
			for (int i = 0; i < 4; i++) {
				queue(callers, work, ModelWork.Kind.STEERING, "steer" + i, order);
			}
			queue(callers, work, ModelWork.Kind.PROBE, "probe", order);
			held.close();
			callers.shutdown();
			assertThat(callers.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
		}
		finally {
			callers.shutdownNow();
		}
		assertThat(order).hasSize(5);
		assertThat(order.indexOf("probe")).as("order %s", order).isLessThanOrEqualTo(1);
		assertThat(work.running()).isZero();
	}

	@Test
	void aFullQueueOfOneKindRefusesWithRetryAfterWhileAnotherKindStillQueues() throws Exception {
		ModelWork work = new ModelWork(1, 1, 30, 1000, 4);
		ModelWork.Permit held = work.enter(ModelWork.Kind.STEERING);
		ExecutorService callers = Executors.newFixedThreadPool(2);
		try {
			queue(callers, work, ModelWork.Kind.PROBE, "probe", new CopyOnWriteArrayList<>());
			assertThatThrownBy(() -> work.enter(ModelWork.Kind.PROBE)).isInstanceOf(ModelBusyException.class)
				.hasMessageContaining("probe")
				.satisfies(ex -> assertThat(((ModelBusyException) ex).retryAfterSeconds()).isPositive());
			queue(callers, work, ModelWork.Kind.FILTER, "filter", new CopyOnWriteArrayList<>());
			held.close();
			callers.shutdown();
			assertThat(callers.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
		}
		finally {
			callers.shutdownNow();
		}
	}

	@Test
	void aCallerWhoWaitsTooLongIsRefusedAndLeavesTheQueue() {
		ModelWork work = new ModelWork(1, 1, 0, 1000, 4);
		try (ModelWork.Permit held = work.enter(ModelWork.Kind.ANALYSIS)) {
			assertThatThrownBy(() -> work.enter(ModelWork.Kind.ANALYSIS)).isInstanceOf(ModelBusyException.class)
				.hasMessageContaining("waited");
			assertThatThrownBy(() -> work.enter(ModelWork.Kind.ANALYSIS)).hasMessageContaining("waited");
		}
		work.enter(ModelWork.Kind.ANALYSIS).close();
	}

	@Test
	void busyMessagesNameTheKindOfWorkSoAnalyzeDoesNotBlameThePlayground() {
		ModelWork waiting = new ModelWork(1, 1, 0, 1000, 4);
		try (ModelWork.Permit held = waiting.enter(ModelWork.Kind.STEERING)) {
			assertThatThrownBy(() -> waiting.enter(ModelWork.Kind.ANALYSIS)).hasMessageContaining("for analysis")
				.hasMessageNotContaining("steering");
		}
		ModelWork full = new ModelWork(1, 0, 30, 1000, 4);
		try (ModelWork.Permit held = full.enter(ModelWork.Kind.STEERING)) {
			assertThatThrownBy(() -> full.enter(ModelWork.Kind.ANALYSIS)).hasMessageContaining("for analysis is taken")
				.hasMessageNotContaining("steering");
		}
	}

	@Test
	void anonymousCallersAreCappedInTextLengthAndCountLoggedInOnesAreNot() {
		ModelWork work = new ModelWork(2, 4, 30, 10, 2);
		assertThatThrownBy(() -> work.enter(ModelWork.Kind.PROBE, List.of("x".repeat(11))))
			.isInstanceOf(ModelInputTooLargeException.class).hasMessageContaining("at most 10 characters");
		assertThatThrownBy(() -> work.enter(ModelWork.Kind.FILTER, List.of("a", "b", "c")))
			.isInstanceOf(ModelInputTooLargeException.class).hasMessageContaining("at most 2 texts");
		work.enter(ModelWork.Kind.PROBE, List.of("x".repeat(10))).close();
		SecurityContextHolder.getContext().setAuthentication(UsernamePasswordAuthenticationToken.authenticated("ana", null,
				AuthorityUtils.createAuthorityList("ROLE_VIEWER")));
		work.enter(ModelWork.Kind.FILTER, List.of("x".repeat(50), "b", "c")).close();
		assertThat(work.running()).isZero();
	}

	private static void queue(ExecutorService callers, ModelWork work, ModelWork.Kind kind, String name, List<String> order)
			throws InterruptedException {
		CountDownLatch submitted = new CountDownLatch(1);
		callers.submit(() -> {
			submitted.countDown();
			try (ModelWork.Permit permit = work.enter(kind)) {
				order.add(name);
				Thread.sleep(20);
			}
			return null;
		});
		submitted.await();
		Thread.sleep(150); // the caller is now waiting inside enter(), in its queue
	}
}
