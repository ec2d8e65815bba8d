package dev.lumen.extraction;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Cuts documents into context windows: each window is BOS followed by the next {@code contextSize − 1} tokens of
 * one document, so an example never mixes two stories; a document's last window may be shorter. Window ids
 * number the windows of the corpus in order, which makes them stable across runs and resumes.
 */
final class CorpusWindows {

	/** One window. {@code tokens[0]} is BOS; {@code startPos} is the document offset of {@code tokens[1]}. */
	record Window(int id, int docIndex, int startPos, int[] tokens) {
	}

	private final List<Window> windows = new ArrayList<>();

	private final long tokenCount;

	/**
	 * @param documents corpus documents in order
	 * @param tokenize text to ids without BOS
	 * @param bos the BOS id
	 * @param contextSize tokens per window including BOS
	 * @param maxTokens stop once this many document tokens are covered (whole windows), 0 for all
	 */
	CorpusWindows(List<String> documents, Function<String, int[]> tokenize, int bos, int contextSize, long maxTokens) {
		int body = contextSize - 1;
		long covered = 0;
		outer:
		for (int d = 0; d < documents.size(); d++) {
			int[] ids = tokenize.apply(documents.get(d));
			for (int start = 0; start < ids.length; start += body) {
				int n = Math.min(body, ids.length - start);
				int[] tokens = new int[n + 1];
				tokens[0] = bos;
				System.arraycopy(ids, start, tokens, 1, n);
				this.windows.add(new Window(this.windows.size(), d, start, tokens));
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

	List<Window> windows() {
		return this.windows;
	}

	Window get(int id) {
		return this.windows.get(id);
	}

	int size() {
		return this.windows.size();
	}

	/** @return document tokens covered (BOS not counted) */
	long tokenCount() {
		return this.tokenCount;
	}
}
