package dev.lumen.engine.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.engine.sae.training.Corpus;
import dev.lumen.engine.testing.RepoAssets;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The priority-queue BPE gives exactly the tokens of run.c's quadratic merge loop, re-implemented here from the
 * tokenizer.bin format on its own (highest-scoring merge first, leftmost on ties).
 */
class BpeMergeEquivalenceTest {

	@Test
	void demoTokenizerMatchesTheQuadraticReferenceOnTheCorpus() throws IOException {
		Path file = RepoAssets.model("tinystories-1m/tokenizer.bin");
		Reference reference = new Reference(file, 2048);
		SentencePieceBpe fast = LlamaTokenizerFile.read(file, 2048);
		List<String> texts = new ArrayList<>(Corpus.documents(RepoAssets.corpus("tinystories-heldout.txt")).subList(0, 150));
		texts.addAll(List.of("", " ", "a", "Once upon a time", "  double  spaces\n\nnew lines\t tabs",
				"caf\u00e9 na\u00efve \u2014 \u201cquotes\u201d \u00e2\u20ac\u2122 \uD83D\uDE00 \u4e2d\u6587", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
				"The the THE tHe 12345 3.14159"));
		for (String text : texts) {
			assertThat(fast.encode(text, true)).as("tokens of %s", abbreviate(text)).containsExactly(reference.encode(text));
		}
	}

	@Test
	void smallVocabularyTokenizerMatchesTheReferenceToo() throws IOException {
		Path file = RepoAssets.model("aidreams260K/tok512.bin");
		Reference reference = new Reference(file, 512);
		SentencePieceBpe fast = LlamaTokenizerFile.read(file, 512);
		for (String text : Corpus.documents(RepoAssets.corpus("tinystories-heldout.txt")).subList(0, 60)) {
			assertThat(fast.encode(text, true)).containsExactly(reference.encode(text));
		}
	}

	private static String abbreviate(String s) {
		return s.length() > 60 ? s.substring(0, 60) + "..." : s;
	}

	/** run.c's encode(): per-character lookup with byte fallback, then merge the best pair until none merges. */
	static final class Reference {

		final String[] pieces;

		final float[] scores;

		final Map<String, Integer> ids = new HashMap<>();

		Reference(Path file, int vocab) throws IOException {
			ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
			b.getInt(); // max_token_length
			this.pieces = new String[vocab];
			this.scores = new float[vocab];
			for (int i = 0; i < vocab; i++) {
				this.scores[i] = b.getFloat();
				byte[] bytes = new byte[b.getInt()];
				b.get(bytes);
				this.pieces[i] = new String(bytes, StandardCharsets.UTF_8);
				this.ids.putIfAbsent(this.pieces[i], i);
			}
		}

		int[] encode(String text) {
			List<Integer> tokens = new ArrayList<>();
			if (!text.isEmpty()) {
				tokens.add(this.ids.get(" "));
			}
			text.codePoints().forEach(cp -> {
				String s = new String(Character.toChars(cp));
				Integer id = this.ids.get(s);
				if (id != null) {
					tokens.add(id);
				}
				else {
					for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
						tokens.add((x & 0xff) + 3);
					}
				}
			});
			while (true) {
				float best = -1e10f;
				int bestId = -1;
				int bestIdx = -1;
				for (int i = 0; i < tokens.size() - 1; i++) {
					Integer id = this.ids.get(this.pieces[tokens.get(i)] + this.pieces[tokens.get(i + 1)]);
					if (id != null && this.scores[id] > best) {
						best = this.scores[id];
						bestId = id;
						bestIdx = i;
					}
				}
				if (bestIdx == -1) {
					break;
				}
				tokens.set(bestIdx, bestId);
				tokens.remove(bestIdx + 1);
			}
			int[] out = new int[tokens.size() + 1];
			out[0] = 1;
			for (int i = 0; i < tokens.size(); i++) {
				out[i + 1] = tokens.get(i);
			}
			return out;
		}
	}
}
