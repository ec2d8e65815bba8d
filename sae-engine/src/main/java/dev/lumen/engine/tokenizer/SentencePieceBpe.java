package dev.lumen.engine.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Sentencepiece BPE encoding as llama2.c's {@code run.c} does it, over a vocabulary of pieces and scores
 * (from {@code tokenizer.bin} or {@code tokenizer.model}): a dummy-prefix space, one token per UTF-8 code
 * point (byte-fallback tokens {@code <0xXX>} = id 3 + byte when the code point is not a piece), then
 * repeatedly merge the adjacent pair whose concatenation is the highest-scoring piece (leftmost on ties).
 */
public final class SentencePieceBpe implements Tokenizer {

	private static final int BYTE_OFFSET = 3; // <0x00> is id 3 in llama2.c/sentencepiece vocabularies

	private final String[] pieces;

	private final float[] scores;

	private final Map<String, Integer> ids = new HashMap<>();

	private final int bosId;

	private final int eosId;

	private final boolean[] control; // [vocab] true for ids decode skips

	private final boolean addDummyPrefix;

	/**
	 * @param pieces token strings, with spaces (not {@code ▁}) and byte tokens as {@code <0xXX>}
	 * @param scores merge priority per token
	 * @param bosId beginning-of-sequence id
	 * @param eosId end-of-sequence id
	 * @param control ids decode skips (BOS, EOS, UNK-free control pieces)
	 */
	public SentencePieceBpe(String[] pieces, float[] scores, int bosId, int eosId, boolean[] control) {
		this(pieces, scores, bosId, eosId, control, true);
	}

	/**
	 * @param addDummyPrefix whether text is encoded as if it began with a space (sentencepiece's add_dummy_prefix)
	 */
	public SentencePieceBpe(String[] pieces, float[] scores, int bosId, int eosId, boolean[] control,
			boolean addDummyPrefix) {
		this.addDummyPrefix = addDummyPrefix;
		if (pieces.length != scores.length || pieces.length != control.length) {
			throw new IllegalArgumentException("pieces, scores and control must have one entry per token");
		}
		this.pieces = pieces;
		this.scores = scores;
		this.bosId = bosId;
		this.eosId = eosId;
		this.control = control;
		for (int i = 0; i < pieces.length; i++) {
			// first occurrence wins, as run.c's sorted-vocab bsearch over unique strings
			this.ids.putIfAbsent(pieces[i], i);
		}
	}

	@Override
	public int[] encode(String text, boolean addBos) {
		List<Integer> tokens = new ArrayList<>();
		if (!text.isEmpty() && this.addDummyPrefix) {
			// add_dummy_prefix: sentencepiece treats the text as starting with a space
			Integer space = this.ids.get(" ");
			if (space != null) {
				tokens.add(space);
			}
		}
		text.codePoints().forEach(cp -> {
			String s = new String(Character.toChars(cp));
			Integer id = this.ids.get(s);
			if (id != null) {
				tokens.add(id);
			}
			else {
				for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
					tokens.add((b & 0xff) + BYTE_OFFSET);
				}
			}
		});
		mergePairs(tokens);
		int offset = addBos && this.bosId >= 0 ? 1 : 0;
		int[] out = new int[tokens.size() + offset];
		if (offset == 1) {
			out[0] = this.bosId;
		}
		for (int i = 0; i < tokens.size(); i++) {
			out[i + offset] = tokens.get(i);
		}
		return out;
	}

	/**
	 * Repeatedly merges the adjacent pair whose concatenation is the highest-scoring piece, leftmost first
	 * on ties (run.c's loop), in O(n log n): candidates wait in a priority queue and are checked against
	 * the current token list when they come out, instead of rescanning every pair after every merge.
	 */
	private void mergePairs(List<Integer> tokens) {
		int n = tokens.size();
		if (n < 2) {
			return;
		}
		int[] id = new int[n];
		int[] next = new int[n];
		int[] prev = new int[n];
		for (int i = 0; i < n; i++) {
			id[i] = tokens.get(i);
			next[i] = i + 1 < n ? i + 1 : -1;
			prev[i] = i - 1;
		}
		// candidate = {left index, left id, right id, merged id}; best score first, then leftmost
		PriorityQueue<int[]> queue = new PriorityQueue<>((a, b) -> {
			int byScore = Float.compare(this.scores[b[3]], this.scores[a[3]]);
			return byScore != 0 ? byScore : Integer.compare(a[0], b[0]);
		});
		for (int i = 0; i + 1 < n; i++) {
			offer(queue, i, id[i], id[i + 1]);
		}
		while (!queue.isEmpty()) {
			int[] c = queue.poll();
			int left = c[0];
			int right = next[left];
			// stale: the left token was merged away or changed, or its neighbour changed
			if (id[left] != c[1] || right == -1 || id[right] != c[2]) {
				continue;
			}
			id[left] = c[3];
			id[right] = -1;
			next[left] = next[right];
			if (next[right] != -1) {
				prev[next[right]] = left;
				offer(queue, left, id[left], id[next[left]]);
			}
			if (prev[left] != -1) {
				offer(queue, prev[left], id[prev[left]], id[left]);
			}
		}
		tokens.clear();
		for (int i = 0; i != -1; i = next[i]) {
			tokens.add(id[i]);
		}
	}

	private void offer(PriorityQueue<int[]> queue, int left, int leftId, int rightId) {
		Integer merged = this.ids.get(this.pieces[leftId] + this.pieces[rightId]);
		if (merged != null) {
			queue.add(new int[] { left, leftId, rightId, merged });
		}
	}

	@Override
	public String decode(int[] ids) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		boolean first = true;
		for (int id : ids) {
			checkId(id);
			if (this.control[id]) {
				continue;
			}
			byte[] piece = pieceBytes(id);
			int start = 0;
			if (first && this.addDummyPrefix && piece.length > 0 && piece[0] == ' ') {
				start = 1; // the dummy prefix space
			}
			first = false;
			bytes.write(piece, start, piece.length - start);
		}
		return bytes.toString(StandardCharsets.UTF_8);
	}

	/** @return the UTF-8 bytes a token stands for ({@code <0xXX>} is the raw byte) */
	byte[] pieceBytes(int id) {
		String p = this.pieces[id];
		if (p.length() == 6 && p.startsWith("<0x") && p.endsWith(">")) {
			try {
				return new byte[] { (byte) Integer.parseInt(p.substring(3, 5), 16) };
			}
			catch (NumberFormatException ignored) {
				// an ordinary piece that happens to look like a byte token
			}
		}
		return p.getBytes(StandardCharsets.UTF_8);
	}

	private void checkId(int id) {
		if (id < 0 || id >= this.pieces.length) {
			throw new IllegalArgumentException("token id " + id + " is outside the vocabulary [0, " + this.pieces.length + ")");
		}
	}

	@Override
	public String tokenString(int id) {
		checkId(id);
		return this.pieces[id];
	}

	/** @return the merge score of a token */
	public float score(int id) {
		checkId(id);
		return this.scores[id];
	}

	@Override
	public int vocabSize() {
		return this.pieces.length;
	}

	@Override
	public int bosId() {
		return this.bosId;
	}

	@Override
	public int eosId() {
		return this.eosId;
	}
}
