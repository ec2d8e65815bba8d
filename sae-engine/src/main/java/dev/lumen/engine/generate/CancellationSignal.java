package dev.lumen.engine.generate;

import java.util.concurrent.atomic.AtomicBoolean;

/** Lets another thread stop a running generation; checked before every step. */
public final class CancellationSignal {

	private final AtomicBoolean cancelled = new AtomicBoolean();

	/** Requests the generation to stop after the current step. */
	public void cancel() {
		this.cancelled.set(true);
	}

	/** @return true once {@link #cancel()} was called */
	public boolean isCancelled() {
		return this.cancelled.get();
	}
}
