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
