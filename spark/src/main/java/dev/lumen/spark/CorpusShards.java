package dev.lumen.spark;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;

/**
 * The driver's side of the corpus: documents cut into the same context windows as a single-machine
 * {@code lumen extract} (BOS followed by the next {@code contextSize − 1} tokens of one document; a document's last
 * window may be shorter; windows numbered in corpus order; {@code maxTokens} stops after whole windows), then
 * grouped into shards of whole forward batches so every batch an executor runs is the batch one machine runs.
 * {@link #windowsHash} lets the caller check that both sides cut the corpus identically.
 */
final class CorpusShards {

	/** One shard: consecutive windows starting at {@code firstWindow}; {@code tokens[i][0]} is BOS. */
	record Shard(int index, int firstWindow, int[][] tokens) implements Serializable {

		long corpusTokens() {
			long n = 0;
			for (int[] w : this.tokens) {
				n += w.length - 1;
			}
			return n;
		}
	}

	private final List<int[]> windows = new ArrayList<>();

	private final long tokenCount;

	/**
	 * @param documents corpus documents in order
	 * @param tokenize text to ids without BOS
	 * @param bos the BOS id
	 * @param contextSize tokens per window including BOS
	 * @param maxTokens stop once this many document tokens are covered (whole windows), 0 for all
	 */
	CorpusShards(List<String> documents, Function<String, int[]> tokenize, int bos, int contextSize, long maxTokens) {
		int body = contextSize - 1;
		long covered = 0;
		outer:
		for (String document : documents) {
			int[] ids = tokenize.apply(document);
			for (int start = 0; start < ids.length; start += body) {
				int n = Math.min(body, ids.length - start);
				int[] tokens = new int[n + 1];
				tokens[0] = bos;
				System.arraycopy(ids, start, tokens, 1, n);
				this.windows.add(tokens);
				covered += n;
				if (maxTokens > 0 && covered >= maxTokens) {
					break outer;
				}
			}
		}
		this.tokenCount = covered;
		if (this.windows.isEmpty()) {
			throw new IllegalArgumentException("the corpus holds no tokens to extract from (empty or whitespace only)");
		}
	}

	int windowCount() {
		return this.windows.size();
	}

	/** @return document tokens covered (BOS not counted) */
	long tokenCount() {
		return this.tokenCount;
	}

	/**
	 * @param shardWindows windows per shard, a multiple of the batch size (the last shard may be shorter)
	 * @return the shards in window order
	 */
	List<Shard> shards(int shardWindows) {
		List<Shard> out = new ArrayList<>();
		for (int from = 0; from < this.windows.size(); from += shardWindows) {
			int to = Math.min(this.windows.size(), from + shardWindows);
			out.add(new Shard(out.size(), from, this.windows.subList(from, to).toArray(int[][]::new)));
		}
		return out;
	}

	/** SHA-256 over the window count and every window's tokens, as hex: equal hashes mean the same windows. */
	String windowsHash() {
		return hash(this.windows);
	}

	static String hash(List<int[]> windows) {
		try {
			MessageDigest md = MessageDigest.getInstance("SHA-256");
			ByteBuffer b = ByteBuffer.allocate(4);
			md.update(b.putInt(0, windows.size()).array());
			for (int[] w : windows) {
				ByteBuffer buf = ByteBuffer.allocate(4 * (w.length + 1)).putInt(w.length);
				for (int t : w) {
					buf.putInt(t);
				}
				md.update(buf.array());
			}
			return HexFormat.of().formatHex(md.digest());
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is part of every Java runtime", ex);
		}
	}
}
