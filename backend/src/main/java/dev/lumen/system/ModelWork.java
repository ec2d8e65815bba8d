package dev.lumen.system;

import java.util.ArrayDeque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;

/**
 * The one scheduler for everything that runs a model on the server: steered generations, prompt analysis,
 * activation probes (feature page "test on your text", prompt search, the activations API) and multi-prompt filters.
 * At most {@code max-concurrent} run at once; each kind has its own queue of at most {@code queue} waiting callers,
 * and a freed slot goes to the kinds in turn (round robin), so a flood of one kind cannot starve the others. A caller
 * who finds its kind's queue full, or waits longer than {@code queue-wait-seconds}, gets {@link ModelBusyException}
 * (HTTP 429 with Retry-After). Anonymous callers also get smaller input caps (characters per text, texts per call).
 */
@Component
public class ModelWork {

	/** What a caller runs; each kind queues separately. */
	public enum Kind {
		STEERING, ANALYSIS, PROBE, FILTER
	}

	private final int maxConcurrent;

	private final int queuePerKind;

	private final long waitNanos;

	private final int anonymousMaxChars;

	private final int anonymousMaxTexts;

	private final ReentrantLock lock = new ReentrantLock(true);

	private final Map<Kind, ArrayDeque<Waiter>> waiting = new EnumMap<>(Kind.class);

	private int running;

	private int nextKind;

	public ModelWork(@Value("${lumen.model-work.max-concurrent:${lumen.playground.max-concurrent:2}}") int maxConcurrent,
			@Value("${lumen.model-work.queue:${lumen.playground.queue:4}}") int queuePerKind,
			@Value("${lumen.model-work.queue-wait-seconds:${lumen.playground.queue-wait-seconds:30}}") long waitSeconds,
			@Value("${lumen.model-work.anonymous.max-chars:1000}") int anonymousMaxChars,
			@Value("${lumen.model-work.anonymous.max-texts:4}") int anonymousMaxTexts) {
		if (maxConcurrent < 1 || queuePerKind < 0) {
			throw new IllegalArgumentException("lumen.model-work.max-concurrent must be >= 1 and queue >= 0, got "
					+ maxConcurrent + ", " + queuePerKind);
		}
		this.maxConcurrent = maxConcurrent;
		this.queuePerKind = queuePerKind;
		this.waitNanos = TimeUnit.SECONDS.toNanos(waitSeconds);
		this.anonymousMaxChars = anonymousMaxChars;
		this.anonymousMaxTexts = anonymousMaxTexts;
		for (Kind kind : Kind.values()) {
			this.waiting.put(kind, new ArrayDeque<>());
		}
	}

	/**
	 * Checks the input caps for the current user, then takes a slot, waiting in {@code kind}'s queue when all are busy.
	 * @param texts the texts the work runs the model on (prompts, the text to probe)
	 * @return the slot, to be closed when the work ends
	 * @throws ModelInputTooLargeException when an anonymous caller sends more or longer texts than allowed
	 * @throws ModelBusyException when the queue is full or the wait times out
	 */
	public Permit enter(Kind kind, List<String> texts) {
		checkInput(texts);
		return enter(kind);
	}

	/** Takes a slot for {@code kind} without an input check (the caller capped its input already). */
	public Permit enter(Kind kind) {
		this.lock.lock();
		try {
			if (this.running < this.maxConcurrent && nobodyWaiting()) {
				this.running++;
				return new Permit();
			}
			ArrayDeque<Waiter> queue = this.waiting.get(kind);
			if (queue.size() >= this.queuePerKind) {
				throw new ModelBusyException("The server is busy: every model slot and queue place for "
						+ kind.name().toLowerCase(java.util.Locale.ROOT) + " is taken. Please try again in a few seconds.", 5);
			}
			Waiter me = new Waiter(this.lock.newCondition());
			queue.addLast(me);
			return await(kind, queue, me);
		}
		finally {
			this.lock.unlock();
		}
	}

	private Permit await(Kind kind, ArrayDeque<Waiter> queue, Waiter me) {
		long left = this.waitNanos;
		try {
			while (!me.granted && left > 0) {
				left = me.turn.awaitNanos(left);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		if (me.granted) {
			return new Permit();
		}
		queue.remove(me);
		throw new ModelBusyException("The server is busy: waited " + TimeUnit.NANOSECONDS.toSeconds(this.waitNanos)
				+ " s for a model slot for " + kind.name().toLowerCase(java.util.Locale.ROOT) + ". Please try again shortly.", 10);
	}

	private void checkInput(List<String> texts) {
		Authentication auth = SecurityContextHolder.getContext().getAuthentication();
		boolean anonymous = auth == null || auth instanceof AnonymousAuthenticationToken || !auth.isAuthenticated();
		if (!anonymous) {
			return;
		}
		if (texts.size() > this.anonymousMaxTexts) {
			throw new ModelInputTooLargeException("Without logging in, send at most " + this.anonymousMaxTexts
					+ " texts at once (got " + texts.size() + ")");
		}
		for (String text : texts) {
			if (text != null && text.length() > this.anonymousMaxChars) {
				throw new ModelInputTooLargeException("Without logging in, texts may have at most " + this.anonymousMaxChars
						+ " characters (got " + text.length() + ")");
			}
		}
	}

	private boolean nobodyWaiting() {
		return this.waiting.values().stream().allMatch(ArrayDeque::isEmpty);
	}

	private void release() {
		this.lock.lock();
		try {
			this.running--;
			// hand freed slots to the kinds in turn
			Kind[] kinds = Kind.values();
			for (int tried = 0; tried < kinds.length && this.running < this.maxConcurrent; tried++) {
				Kind kind = kinds[this.nextKind];
				this.nextKind = (this.nextKind + 1) % kinds.length;
				Waiter next = this.waiting.get(kind).pollFirst();
				if (next != null) {
					next.granted = true;
					this.running++;
					next.turn.signal();
					tried = -1; // a slot was handed out: look at every kind again for the next one
				}
			}
		}
		finally {
			this.lock.unlock();
		}
	}

	/** @return model runs in progress now */
	int running() {
		this.lock.lock();
		try {
			return this.running;
		}
		finally {
			this.lock.unlock();
		}
	}

	/** A caller waiting for a slot. */
	private static final class Waiter {

		final Condition turn;

		boolean granted;

		Waiter(Condition turn) {
			this.turn = turn;
		}
	}

	/** A held model slot; closing it (once) lets the next caller in. */
	public final class Permit implements AutoCloseable {

		private boolean closed;

		@Override
		public synchronized void close() {
			if (!this.closed) {
				this.closed = true;
				release();
			}
		}
	}
}
