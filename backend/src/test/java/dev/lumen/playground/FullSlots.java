package dev.lumen.playground;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Takes every generation slot and every queue place with real callers (the defaults: 2 running, 4 waiting), so the
 * next request is refused; closing releases them and waits until the queued callers are done.
 */
final class FullSlots implements AutoCloseable {

	private static final int QUEUE = 4;

	private final List<GenerationSlots.Slot> held = new ArrayList<>();

	private final ExecutorService waiters = Executors.newFixedThreadPool(QUEUE);

	FullSlots(GenerationSlots slots) throws InterruptedException {
		this.held.add(slots.enter());
		this.held.add(slots.enter());
		CountDownLatch queued = new CountDownLatch(QUEUE);
		for (int i = 0; i < QUEUE; i++) {
			this.waiters.submit(() -> {
				queued.countDown();
				slots.enter().close(); // once the held slots are released
				return null;
			});
		}
		queued.await();
		Thread.sleep(300); // the waiters are now inside enter(), holding every queue place
	}

	@Override
	public void close() throws InterruptedException {
		this.held.forEach(GenerationSlots.Slot::close);
		this.waiters.shutdown();
		assertThat(this.waiters.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
	}
}
