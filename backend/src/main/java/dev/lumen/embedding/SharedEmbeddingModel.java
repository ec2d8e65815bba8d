package dev.lumen.embedding;

import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;

/**
 * The one local sentence-embedding model of the JVM: quantised all-MiniLM-L6-v2 (ONNX, bundled in the jar, no
 * network), 384 dimensions. Autointerp's embedding scorer and the label vectors for semantic search share it, so
 * the ONNX model is loaded once, on first use.
 */
public final class SharedEmbeddingModel {

	/** Stored with every label vector: vectors from another model are stale. */
	public static final String NAME = "all-minilm-l6-v2-q";

	/** Length of every embedding; must equal the {@code vector(384)} column of migration V7. */
	public static final int DIMENSIONS = 384;

	private SharedEmbeddingModel() {
	}

	/** @return the shared model, loading it on the first call */
	public static EmbeddingModel instance() {
		return Holder.MODEL;
	}

	/** Class-holder idiom: the JVM loads the model once, thread-safely, when first asked. */
	private static final class Holder {

		static final EmbeddingModel MODEL = new AllMiniLmL6V2QuantizedEmbeddingModel();
	}
}
