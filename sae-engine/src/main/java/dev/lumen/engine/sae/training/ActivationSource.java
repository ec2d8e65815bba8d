package dev.lumen.engine.sae.training;

/**
 * An endless, deterministic stream of activation vectors to train an SAE on. Two sources built with the same
 * arguments must return the same batches in the same order: resuming a run replays the batches already used.
 */
public interface ActivationSource extends AutoCloseable {

	/** @return width of each activation vector */
	int dIn();

	/**
	 * Returns the next batch of activations.
	 * @param n number of vectors
	 * @return row-major [n, dIn] values
	 */
	float[] nextBatch(int n);

	/** Skips batches that an interrupted run already used, by reading and discarding them. */
	default void skip(long batches, int n) {
		for (long i = 0; i < batches; i++) {
			nextBatch(n);
		}
	}

	/** Releases the source (models, files); the default holds nothing. */
	@Override
	default void close() {
	}
}
