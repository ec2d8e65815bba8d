package dev.lumen.map;

/**
 * The k nearest neighbours of every point, nearest first, as row numbers and cosine similarities; the same
 * exact lists the feature pages show, so the map and the neighbour lists agree.
 * @param indices {@code [n * k]}
 * @param cosines {@code [n * k]}
 */
public record KnnGraph(int n, int k, int[] indices, float[] cosines) {

	public KnnGraph {
		if (indices.length != n * k || cosines.length != n * k) {
			throw new IllegalArgumentException("expected " + n + " x " + k + " neighbours, got " + indices.length);
		}
	}

	public int index(int row, int rank) {
		return this.indices[row * this.k + rank];
	}

	/** @return the cosine distance {@code 1 - cos}, never below 0 */
	public float distance(int row, int rank) {
		return Math.max(0f, 1f - this.cosines[row * this.k + rank]);
	}

	/** @return the first {@code kept} neighbours of every row */
	public KnnGraph truncate(int kept) {
		if (kept >= this.k) {
			return this;
		}
		int[] ix = new int[this.n * kept];
		float[] cos = new float[this.n * kept];
		for (int i = 0; i < this.n; i++) {
			System.arraycopy(this.indices, i * this.k, ix, i * kept, kept);
			System.arraycopy(this.cosines, i * this.k, cos, i * kept, kept);
		}
		return new KnnGraph(this.n, kept, ix, cos);
	}
}
