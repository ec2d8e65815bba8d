package dev.lumen.embedding;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.web.context.WebApplicationContext;

/**
 * When the web app is ready, embeds labels that have no current vector (labels written by other means than
 * autointerp, databases from before V7) on one low-priority background thread, so the server answers meanwhile.
 * {@code lumen.search.embeddings.backfill-on-start=false} turns it off ({@code lumen embed-labels} does the same
 * on demand).
 */
@Component
class LabelEmbeddingBackfill {

	private static final Logger log = LoggerFactory.getLogger(LabelEmbeddingBackfill.class);

	private final LabelEmbeddings embeddings;

	private final boolean onStart;

	LabelEmbeddingBackfill(LabelEmbeddings embeddings,
			@Value("${lumen.search.embeddings.backfill-on-start:true}") boolean onStart) {
		this.embeddings = embeddings;
		this.onStart = onStart;
	}

	@EventListener
	void backfillInBackground(ApplicationReadyEvent ready) {
		// only the web app: command-line tools that start a context for the database must not embed on the side
		if (!this.onStart || !(ready.getApplicationContext() instanceof WebApplicationContext)) {
			return;
		}
		Thread worker = new Thread(this::backfill, "label-embedding-backfill");
		worker.setDaemon(true);
		worker.setPriority(Thread.MIN_PRIORITY);
		worker.start();
	}

	private void backfill() {
		try {
			int pending = this.embeddings.countPending(null);
			if (pending == 0) {
				return;
			}
			log.info("Embedding {} labels for semantic search in the background", pending);
			int done = this.embeddings.backfill(null, n -> {
			});
			log.info("Embedded {} labels for semantic search", done);
		}
		catch (RuntimeException ex) {
			// semantic search then misses those labels until the next start or 'lumen embed-labels'
			log.warn("Label embedding backfill stopped: {}", ex.getMessage());
		}
	}
}
