package dev.lumen.engine.sae.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CorpusAndContextsTest {

	@TempDir
	Path tmp;

	@Test
	void plainTextSplitsAtEndOfTextLinesAndJsonlReadsTextFields() throws Exception {
		Path dir = this.tmp.resolve("corpus");
		Files.createDirectories(dir.resolve("sub"));
		Files.writeString(dir.resolve("a.txt"), "One day.\nIt rained.\n<|endoftext|>\nTwo.\n<|endoftext|>\n");
		Files.writeString(dir.resolve("sub/b.jsonl"), "{\"text\": \"Three\", \"id\": 1}\n\n{\"text\": \"Four\"}\n");
		Files.writeString(dir.resolve("ignored.bin"), "xx");
		assertThat(Corpus.documents(dir)).containsExactly("One day.\nIt rained.", "Two.", "Three", "Four");
		assertThat(Corpus.documents(dir.resolve("a.txt"))).containsExactly("One day.\nIt rained.", "Two.");
	}

	@Test
	void badJsonlLineAndEmptyCorpusAreNamed() throws Exception {
		Path bad = this.tmp.resolve("bad.jsonl");
		Files.writeString(bad, "{\"text\": \"ok\"}\n{\"body\": \"no text\"}\n");
		assertThatThrownBy(() -> Corpus.documents(bad)).hasMessageContaining("bad.jsonl line 2")
			.hasMessageContaining("\"text\"");
		Path empty = this.tmp.resolve("empty.txt");
		Files.writeString(empty, "<|endoftext|>\n");
		assertThatThrownBy(() -> Corpus.documents(empty)).hasMessageContaining("holds no text");
		assertThatThrownBy(() -> Corpus.documents(this.tmp.resolve("missing"))).hasMessageContaining("does not exist");
	}

	@Test
	void contextsStartWithBosAndSeparateDocumentsWithBos() {
		// each "document" tokenizes to its characters' codes
		TokenContexts contexts = new TokenContexts(List.of("ab", "cde"), s -> s.chars().toArray(), 1, 4);
		assertThat(contexts.next()).containsExactly(1, 'a', 'b', 1);
		assertThat(contexts.next()).containsExactly(1, 'c', 'd', 'e');
		assertThat(contexts.epochs()).isZero();
		// the stream continues: BOS after "cde", then the corpus repeats
		assertThat(contexts.next()).containsExactly(1, 1, 'a', 'b');
		assertThat(contexts.epochs()).isEqualTo(1);
	}

	@Test
	void shufflingBufferServesEveryRowOnceAndMixesContexts() {
		int dIn = 2;
		int[] block = { 0 };
		// each produced block is one "context" of 8 rows whose values are (context, row)
		ShufflingBuffer buffer = new ShufflingBuffer(dIn, 64, () -> {
			float[] rows = new float[8 * dIn];
			for (int r = 0; r < 8; r++) {
				rows[r * dIn] = block[0];
				rows[r * dIn + 1] = r;
			}
			block[0]++;
			return rows;
		}, 3);
		Set<String> seen = new HashSet<>();
		List<Float> firstBatchContexts = new ArrayList<>();
		for (int b = 0; b < 16; b++) {
			float[] batch = buffer.nextBatch(8);
			for (int t = 0; t < 8; t++) {
				assertThat(seen.add(batch[t * dIn] + ":" + batch[t * dIn + 1])).as("row served twice").isTrue();
				if (b == 0) {
					firstBatchContexts.add(batch[t * dIn]);
				}
			}
		}
		assertThat(new HashSet<>(firstBatchContexts).size()).as("contexts in the first batch").isGreaterThanOrEqualTo(4);
		// same seed, same order
		ShufflingBuffer again = new ShufflingBuffer(dIn, 64, () -> new float[] { 5, 6, 7, 8 }, 3);
		ShufflingBuffer twin = new ShufflingBuffer(dIn, 64, () -> new float[] { 5, 6, 7, 8 }, 3);
		assertThat(again.nextBatch(10)).containsExactly(twin.nextBatch(10));
	}
}
