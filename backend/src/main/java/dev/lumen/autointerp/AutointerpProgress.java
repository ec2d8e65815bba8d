package dev.lumen.autointerp;

/**
 * Progress of a batch: features finished out of those to do in this run.
 *
 * @param done features handled so far (labelled, without examples, or failed)
 * @param total features this run handles (already-labelled ones excluded)
 */
public record AutointerpProgress(long jobId, int done, int total, int labelled, int failed) {

	/** @return fraction done, 0..1 */
	public double fraction() {
		return this.total == 0 ? 1 : this.done / (double) this.total;
	}
}
