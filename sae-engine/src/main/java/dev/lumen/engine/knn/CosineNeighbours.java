package dev.lumen.engine.knn;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.lumen.engine.device.Devices;
import java.util.function.IntConsumer;

/**
 * Exact nearest neighbours by cosine similarity among the rows of one matrix (an SAE's decoder directions),
 * computed block by block: each block of query rows is multiplied with the whole normalised matrix, and the
 * top {@code k} of every row are kept. Memory stays at the matrix plus one {@code [block, n]} product.
 */
public final class CosineNeighbours {

	/** Bytes the {@code [block, n]} similarity product may take. */
	private static final long PRODUCT_BYTES = 256L << 20;

	private CosineNeighbours() {
	}

	/**
	 * Neighbours of every row, nearest first, never the row itself.
	 * @param rows {@code [n * d]} row-major; a zero row has cosine 0 with everything
	 * @param k neighbours per row, {@code 1 <= k < n}
	 * @param device {@code cpu}, {@code cuda}, {@code cuda:N} or {@code auto} ({@link Devices#parse})
	 * @param progress told how many rows are done after each block
	 * @return {@code [n * k]} neighbour row numbers and their cosines
	 */
	public static Result compute(float[] rows, int n, int d, int k, String device, IntConsumer progress) {
		return compute(rows, n, d, k, Devices.parse(device), progress);
	}

	static Result compute(float[] rows, int n, int d, int k, Device device, IntConsumer progress) {
		if (n < 2 || k < 1 || k >= n || (long) n * d != rows.length) {
			throw new IllegalArgumentException("need 1 <= k < n and rows.length = n * d; got n=" + n + ", d=" + d
					+ ", k=" + k + ", rows.length=" + rows.length);
		}
		return compute(rows, n, d, k, device, progress, (int) Math.max(1, Math.min(n, PRODUCT_BYTES / (4L * n))));
	}

	/** {@link #compute(float[], int, int, int, Device, IntConsumer)} with a given number of query rows per block. */
	static Result compute(float[] rows, int n, int d, int k, Device device, IntConsumer progress, int block) {
		int[] indices = new int[n * k];
		float[] cosines = new float[n * k];
		try (NDManager manager = NDManager.newBaseManager(device)) {
			NDArray unit = normalised(manager, rows, n, d); // [n, d]
			NDArray unitT = unit.transpose(); // [d, n]
			for (int from = 0; from < n; from += block) {
				int to = Math.min(n, from + block);
				try (NDManager scope = manager.newSubManager()) {
					NDArray q = unit.get(from + ":" + to); // [b, d]
					q.attach(scope);
					NDArray sims = q.dot(unitT); // [b, n]
					sims.attach(scope);
					// k + 1: the row itself is among them (cosine 1), dropped below
					NDList top = sims.topK(k + 1, 1, true, true); // values [b, k+1], indices [b, k+1]
					top.attach(scope);
					float[] v = top.get(0).toType(DataType.FLOAT32, false).toFloatArray();
					long[] ix = top.get(1).toType(DataType.INT64, false).toLongArray();
					for (int r = 0; r < to - from; r++) {
						keepOthers(from + r, ix, v, r * (k + 1), k, indices, cosines);
					}
				}
				progress.accept(to);
			}
		}
		return new Result(n, k, indices, cosines);
	}

	/**
	 * For every query row, its nearest rows of another matrix (a sibling SAE's decoder directions), nearest first.
	 * @param queries {@code [nq * d]} row-major
	 * @param base {@code [nb * d]} row-major; a zero row has cosine 0 with everything
	 * @param k neighbours per query row, {@code 1 <= k <= nb}
	 * @param device {@code cpu}, {@code cuda}, {@code cuda:N} or {@code auto} ({@link Devices#parse})
	 * @return {@code [nq * k]} row numbers in {@code base} and their cosines
	 */
	public static Result across(float[] queries, int nq, float[] base, int nb, int d, int k, String device) {
		if (nq < 1 || k < 1 || k > nb || (long) nq * d != queries.length || (long) nb * d != base.length) {
			throw new IllegalArgumentException("need 1 <= k <= nb, queries.length = nq * d and base.length = nb * d; got nq="
					+ nq + ", nb=" + nb + ", d=" + d + ", k=" + k);
		}
		int block = (int) Math.max(1, Math.min(nq, PRODUCT_BYTES / (4L * nb)));
		int[] indices = new int[nq * k];
		float[] cosines = new float[nq * k];
		try (NDManager manager = NDManager.newBaseManager(Devices.parse(device))) {
			NDArray q = normalised(manager, queries, nq, d); // [nq, d]
			NDArray baseT = normalised(manager, base, nb, d).transpose(); // [d, nb]
			for (int from = 0; from < nq; from += block) {
				int to = Math.min(nq, from + block);
				try (NDManager scope = manager.newSubManager()) {
					NDArray rows = q.get(from + ":" + to); // [b, d]
					rows.attach(scope);
					NDArray sims = rows.dot(baseT); // [b, nb]
					sims.attach(scope);
					NDList top = sims.topK(k, 1, true, true); // values [b, k], indices [b, k]
					top.attach(scope);
					float[] v = top.get(0).toType(DataType.FLOAT32, false).toFloatArray();
					long[] ix = top.get(1).toType(DataType.INT64, false).toLongArray();
					for (int j = 0; j < v.length; j++) {
						indices[from * k + j] = (int) ix[j];
						cosines[from * k + j] = v[j];
					}
				}
			}
		}
		return new Result(nq, k, indices, cosines);
	}

	private static NDArray normalised(NDManager manager, float[] rows, int n, int d) {
		NDArray m = manager.create(rows, new Shape(n, d)); // [n, d]
		NDArray norms = m.norm(new int[] { 1 }, true).maximum(1e-12f); // [n, 1]
		return m.div(norms);
	}

	/** Copies one row's k + 1 candidates without the row itself (or without the last, on exact ties). */
	private static void keepOthers(int row, long[] ix, float[] v, int offset, int k, int[] indices, float[] cosines) {
		int out = row * k;
		for (int j = 0; j <= k && out < (row + 1) * k; j++) {
			if (ix[offset + j] != row) {
				indices[out] = (int) ix[offset + j];
				cosines[out++] = v[offset + j];
			}
		}
	}

	/**
	 * Neighbours of {@code n} rows, {@code k} each, row-major.
	 * @param indices {@code [n * k]} row numbers, nearest first
	 * @param cosines {@code [n * k]} exact cosine similarities (fp32)
	 */
	public record Result(int n, int k, int[] indices, float[] cosines) {

		/** @return the row number of row {@code row}'s {@code rank}-th neighbour (0 = nearest) */
		public int index(int row, int rank) {
			return this.indices[row * this.k + rank];
		}

		/** @return the cosine of row {@code row}'s {@code rank}-th neighbour */
		public float cosine(int row, int rank) {
			return this.cosines[row * this.k + rank];
		}
	}
}
