package dev.lumen.engine.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lumen.engine.testing.RepoAssets;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenizerTest {

	private static List<String> heldOutLines() throws IOException {
		return Files.readAllLines(RepoAssets.corpus("tinystories-heldout.txt"))
			.stream()
			.filter(l -> !l.isBlank() && !l.equals("<|endoftext|>"))
			.limit(300)
			.toList();
	}

	@Test
	void tokenizerBinRoundTripsCorpusText() throws IOException {
		SentencePieceBpe t = LlamaTokenizerFile.read(RepoAssets.model("tinystories-1m/tokenizer.bin"), 2048);
		for (String line : heldOutLines()) {
			int[] ids = t.encode(line, true);
			assertThat(ids[0]).isEqualTo(1);
			assertThat(t.decode(ids)).isEqualTo(line);
		}
		// characters outside the vocabulary fall back to UTF-8 byte tokens and still round-trip
		String exotic = "naïve café — 東京 🚀";
		assertThat(t.decode(t.encode(exotic, false))).isEqualTo(exotic);
		assertThat(t.encode("", true)).containsExactly(1);
	}

	/** run.c's merge loop written out plainly: rescan all pairs, merge the best (leftmost on ties), repeat. */
	private static int[] naiveMerges(SentencePieceBpe t, List<Integer> start) {
		java.util.Map<String, Integer> ids = new java.util.HashMap<>();
		for (int i = t.vocabSize() - 1; i >= 0; i--) {
			ids.put(t.tokenString(i), i);
		}
		List<Integer> tokens = new java.util.ArrayList<>(start);
		while (true) {
			float best = -1e10f;
			int bestId = -1;
			int bestIdx = -1;
			for (int i = 0; i < tokens.size() - 1; i++) {
				Integer id = ids.get(t.tokenString(tokens.get(i)) + t.tokenString(tokens.get(i + 1)));
				if (id != null && t.score(id) > best) {
					best = t.score(id);
					bestId = id;
					bestIdx = i;
				}
			}
			if (bestIdx == -1) {
				return tokens.stream().mapToInt(Integer::intValue).toArray();
			}
			tokens.set(bestIdx, bestId);
			tokens.remove(bestIdx + 1);
		}
	}

	@Test
	void queuedMergesEqualRunCsRescanLoopOnWholeStories() throws IOException {
		SentencePieceBpe t = LlamaTokenizerFile.read(RepoAssets.model("tinystories-1m/tokenizer.bin"), 2048);
		String[] stories = Files.readString(RepoAssets.corpus("tinystories-heldout.txt")).split("\n<\\|endoftext\\|>\n");
		for (int s = 0; s < 25; s++) {
			String story = stories[s];
			// the unmerged start: dummy-prefix space, then one token per code point (or its bytes)
			List<Integer> start = new java.util.ArrayList<>();
			start.add(idOf(t, " "));
			story.codePoints().forEach(cp -> {
				String ch = new String(Character.toChars(cp));
				int id = idOf(t, ch);
				if (id >= 0) {
					start.add(id);
				}
				else {
					for (byte b : ch.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
						start.add((b & 0xff) + 3);
					}
				}
			});
			assertThat(t.encode(story, false)).as("story %d", s).containsExactly(naiveMerges(t, start));
		}
	}

	private static int idOf(SentencePieceBpe t, String piece) {
		for (int i = 0; i < t.vocabSize(); i++) {
			if (t.tokenString(i).equals(piece)) {
				return i;
			}
		}
		return -1;
	}

	@Test
	void tokenizerModelHoldsTheSameVocabularyAsTokenizerBin() throws IOException {
		SentencePieceBpe bin = LlamaTokenizerFile.read(RepoAssets.model("tinystories-1m/tokenizer.bin"), 2048);
		SentencePieceBpe model = SentencePieceModelFile.read(RepoAssets.model("tinystories-1m/tokenizer.model"));
		assertThat(model.vocabSize()).isEqualTo(2048);
		assertThat(model.bosId()).isEqualTo(1);
		assertThat(model.eosId()).isEqualTo(2);
		assertThat(bin.tokenString(1)).isEqualTo("\n<s>\n");
		assertThat(model.tokenString(1)).isEqualTo("<s>");
		for (int i = 3; i < 2048; i++) {
			assertThat(model.tokenString(i)).as("piece %d", i).isEqualTo(bin.tokenString(i));
			assertThat(model.score(i)).as("score %d", i).isEqualTo(bin.score(i));
		}
		for (String line : heldOutLines()) {
			assertThat(model.encode(line, true)).isEqualTo(bin.encode(line, true));
		}
		assertThat(model.encode("Once upon a time", true)).containsExactly(1, 413, 434, 261, 386);
	}

	@Test
	void aidreamsTokenizerEncodesReferencePrompts() {
		SentencePieceBpe t = LlamaTokenizerFile.read(RepoAssets.model("aidreams260K/tok512.bin"), 512);
		// prompt_tokens of reference/aidreams260K-1.json (run.c's encode)
		assertThat(t.encode("Once upon a time", true)).containsExactly(1, 429, 491, 433, 295, 429, 444, 445, 265, 262,
				263, 342, 430);
	}

	@Test
	void tokenizerBinOfAnotherVocabularyIsRejectedNamingBothSizes() {
		Path tok512 = RepoAssets.model("aidreams260K/tok512.bin");
		assertThatThrownBy(() -> LlamaTokenizerFile.read(tok512, 2048)).isInstanceOf(TokenizerException.class)
			.hasMessageContaining("tok512.bin")
			.hasMessageContaining("holds 512 tokens but the model's vocabulary has 2048");
	}

	@Test
	void hfTokenizerJsonEncodesGpt2IdsWithoutTruncation() throws URISyntaxException {
		Path json = Path.of(TokenizerTest.class.getResource("/hf/lm-buddy-fake_gpt2/tokenizer.json").toURI());
		try (HfTokenizer t = HfTokenizer.open(json, 50256, 50256)) {
			assertThat(t.vocabSize()).isEqualTo(50257);
			assertThat(t.encode("Hello world", false)).containsExactly(15496, 995);
			assertThat(t.encode("Hello world", true)).containsExactly(50256, 15496, 995);
			assertThat(t.tokenString(995)).isEqualTo("\u0120world");
			assertThat(t.decode(new int[] { 50256, 15496, 995 })).isEqualTo("Hello world");
			String longText = "the cat sat on the mat. ".repeat(200);
			int[] ids = t.encode(longText, false);
			assertThat(ids.length).isGreaterThan(1000);
			assertThat(t.decode(ids)).isEqualTo(longText);
		}
	}
}
