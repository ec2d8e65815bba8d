package dev.lumen.engine.sae.training;

/** Counts, per feature, the tokens since it last fired; a feature silent for a whole window is dead. */
final class DeadFeatureTracker {

	private final long[] tokensSinceFired; // [dSae]

	private final long window;

	DeadFeatureTracker(int dSae, long window) {
		this.tokensSinceFired = new long[dSae];
		this.window = window;
	}

	DeadFeatureTracker(long[] tokensSinceFired, long window) {
		this.tokensSinceFired = tokensSinceFired.clone();
		this.window = window;
	}

	/** Records one batch of {@code tokens} tokens; {@code firedCount[i]} > 0 means feature i fired in it. */
	void update(float[] firedCount, long tokens) {
		for (int i = 0; i < this.tokensSinceFired.length; i++) {
			this.tokensSinceFired[i] = firedCount[i] > 0 ? 0 : this.tokensSinceFired[i] + tokens;
		}
	}

	/** @return fraction of features that have not fired within the window */
	double deadFraction() {
		int dead = 0;
		for (long t : this.tokensSinceFired) {
			if (t >= this.window) {
				dead++;
			}
		}
		return (double) dead / this.tokensSinceFired.length;
	}

	long[] tokensSinceFired() {
		return this.tokensSinceFired.clone();
	}
}
