package dev.lumen.engine.kernel;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Shares each matrix-vector product of one decoding sequence between the calling thread and one helper thread,
 * as run.c's OpenMP loop shares its rows: the caller computes the first half of the column panels, the helper the
 * second. A product of a small model takes microseconds, so the helper spins between products instead of
 * blocking (a park/unpark round trip costs about as much as the product); after a short idle spell it parks.
 * The second half goes to whichever thread claims it first: when the helper has not started on it by the time the
 * caller finishes the first half (descheduled, or parked), the caller computes it too instead of waiting, so a
 * helper that shares a core with the caller costs a spin, not a scheduler time slice.
 * One instance serves one sequence from one thread at a time; close it to stop the helper.
 */
public final class TwoThreadMatVec implements AutoCloseable {

	/** Spin iterations before the idle helper parks (tens of microseconds). */
	private static final int IDLE_SPINS = 20_000;

	private final CpuKernels kernels;

	private final Thread helper;

	// the posted job; plain fields, published by the volatile write of posted and read after reading it
	private float[] jobOut;

	private float[] jobX;

	private PanelMatrix jobW;

	private int jobFrom;

	private int jobTo;

	private volatile int posted;

	private volatile int done;

	private final AtomicInteger claimed = new AtomicInteger(); // the last job whose second half a thread took

	private volatile boolean parked;

	private volatile boolean closed;

	private volatile Throwable failure;

	/** @param kernels the kernels both threads run */
	public TwoThreadMatVec(CpuKernels kernels) {
		this.kernels = kernels;
		this.helper = new Thread(this::helperLoop, "lumen-decode-helper");
		this.helper.setDaemon(true);
		this.helper.start();
	}

	/** out = x · w, split between this thread and the helper when w has at least two panels. */
	public void matVec(float[] out, float[] x, PanelMatrix w) {
		int panels = w.panels();
		if (panels < 2) {
			this.kernels.matVec(out, x, w);
			return;
		}
		int mid = panels / 2;
		this.jobOut = out;
		this.jobX = x;
		this.jobW = w;
		this.jobFrom = mid;
		this.jobTo = panels;
		int seq = this.posted + 1;
		this.posted = seq;
		// volatile write of posted, then read of parked; the helper writes parked, then reads posted: one of
		// the two always sees the other, so a posted job never waits behind a parked helper
		if (this.parked) {
			LockSupport.unpark(this.helper);
		}
		this.kernels.matVec(out, x, w, 0, mid);
		if (this.claimed.compareAndSet(seq - 1, seq)) {
			// the helper has not started: do its half here rather than wait for it to be scheduled
			this.kernels.matVec(out, x, w, mid, panels);
			return;
		}
		while (this.done != seq) {
			if (this.failure != null) {
				throw new IllegalStateException("decode helper thread failed", this.failure);
			}
			Thread.onSpinWait();
		}
	}

	private void helperLoop() {
		int seen = 0;
		int idle = 0;
		while (!this.closed) {
			int p = this.posted;
			if (p != seen) {
				if (this.claimed.compareAndSet(p - 1, p)) {
					try {
						this.kernels.matVec(this.jobOut, this.jobX, this.jobW, this.jobFrom, this.jobTo);
					}
					catch (RuntimeException | Error ex) {
						this.failure = ex;
						return;
					}
					this.done = p;
				}
				seen = p;
				idle = 0;
			}
			else if (++idle < IDLE_SPINS) {
				Thread.onSpinWait();
			}
			else {
				this.parked = true;
				if (this.posted == seen && !this.closed) {
					LockSupport.parkNanos(this, 1_000_000L);
				}
				this.parked = false; // idle stays past IDLE_SPINS: park again at once unless work arrived
			}
		}
	}

	@Override
	public void close() {
		this.closed = true;
		LockSupport.unpark(this.helper);
	}
}
