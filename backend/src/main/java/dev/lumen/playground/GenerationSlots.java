package dev.lumen.playground;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Bounds steered generations: at most {@code max-concurrent} run at once and at most {@code queue} more wait (up
 * to {@code queue-wait-seconds}); anyone beyond that is told to come back later instead of piling up threads and
 * native memory on the shared engine.
 */
@Component
public class GenerationSlots {

	private final Semaphore running;

	private final Semaphore places; // running + waiting

	private final long waitMillis;

	public GenerationSlots(@Value("${lumen.playground.max-concurrent:2}") int maxConcurrent,
			@Value("${lumen.playground.queue:4}") int queue,
			@Value("${lumen.playground.queue-wait-seconds:30}") long waitSeconds) {
		if (maxConcurrent < 1 || queue < 0) {
			throw new IllegalArgumentException("lumen.playground.max-concurrent must be >= 1 and queue >= 0");
		}
		this.running = new Semaphore(maxConcurrent, true);
		this.places = new Semaphore(maxConcurrent + queue);
		this.waitMillis = TimeUnit.SECONDS.toMillis(waitSeconds);
	}

	/**
	 * Takes a slot, waiting in the queue when all are busy.
	 * @return the slot, to be closed when the generation ends
	 * @throws PlaygroundBusyException when the queue is full or the wait times out
	 */
	public Slot enter() {
		if (!this.places.tryAcquire()) {
			throw new PlaygroundBusyException("The playground is busy: all generation slots and queue places are taken. "
					+ "Please try again in a few seconds.", 5);
		}
		boolean got = false;
		try {
			got = this.running.tryAcquire(this.waitMillis, TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			if (!got) {
				this.places.release();
			}
		}
		if (!got) {
			throw new PlaygroundBusyException("The playground is busy: waited " + this.waitMillis / 1000
					+ " s for a generation slot. Please try again shortly.", 10);
		}
		return new Slot();
	}

	/** A held generation slot. */
	public final class Slot implements AutoCloseable {

		private boolean closed;

		@Override
		public synchronized void close() {
			if (!this.closed) {
				this.closed = true;
				GenerationSlots.this.running.release();
				GenerationSlots.this.places.release();
			}
		}
	}
}
