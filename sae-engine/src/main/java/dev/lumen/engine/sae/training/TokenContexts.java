package dev.lumen.engine.sae.training;

import java.util.List;
import java.util.function.Function;

/**
 * Cuts a corpus into fixed-length training contexts: documents are tokenized, joined with BOS between them,
 * and every context starts with BOS followed by the next {@code contextSize − 1} tokens of that stream. The corpus
 * repeats when exhausted, so the stream is endless and deterministic.
 */
public final class TokenContexts {

	private final List<String> documents;

	private final Function<String, int[]> tokenize;

	private final int bos;

	private final int contextSize;

	private int nextDocument;

	private int[] current = new int[0];

	private int position;

	private long epochs;

	/**
	 * @param documents corpus documents, in order
	 * @param tokenize text to token ids, without BOS
	 * @param bos the BOS token id
	 * @param contextSize tokens per context, BOS included
	 */
	public TokenContexts(List<String> documents, Function<String, int[]> tokenize, int bos, int contextSize) {
		if (contextSize < 2) {
			throw new IllegalArgumentException("context size must be at least 2 (BOS and one token), got " + contextSize);
		}
		this.documents = List.copyOf(documents);
		this.tokenize = tokenize;
		this.bos = bos;
		this.contextSize = contextSize;
	}

	/** @return the next context, length contextSize, starting with BOS */
	public int[] next() {
		int[] ctx = new int[this.contextSize];
		ctx[0] = this.bos;
		for (int i = 1; i < this.contextSize; i++) {
			ctx[i] = nextToken();
		}
		return ctx;
	}

	/** @return how many times the corpus has been read through */
	public long epochs() {
		return this.epochs;
	}

	private int nextToken() {
		while (this.position >= this.current.length) {
			if (this.nextDocument == this.documents.size()) {
				this.nextDocument = 0;
				this.epochs++;
			}
			int[] doc = this.tokenize.apply(this.documents.get(this.nextDocument++));
			// documents are separated by BOS, as llama2.c and SAELens' "bos" separator do
			this.current = java.util.Arrays.copyOf(doc, doc.length + 1);
			this.current[doc.length] = this.bos;
			this.position = 0;
		}
		return this.current[this.position++];
	}
}
