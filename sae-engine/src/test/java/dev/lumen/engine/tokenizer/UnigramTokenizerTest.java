package dev.lumen.engine.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * SentencePiece Unigram tokenizers are never tokenized as BPE: a Unigram {@code tokenizer.model} (written by
 * sentencepiece's own trainer) is refused, and a Unigram {@code tokenizer.json} (written by the tokenizers library)
 * gives the ids that library gives.
 */
class UnigramTokenizerTest {

	private static Path fixture(String name) throws Exception {
		return Path.of(UnigramTokenizerTest.class.getResource("/reference-libs/tokenizers/" + name).toURI());
	}

	@Test
	void aUnigramTokenizerModelIsRefusedPointingToTokenizerJson() throws Exception {
		Path model = fixture("unigram.model");
		assertThatThrownBy(() -> SentencePieceModelFile.read(model)).isInstanceOf(TokenizerException.class)
			.hasMessageContaining(model.toString())
			.hasMessageContaining("a sentencepiece UNIGRAM model; Lumen reads tokenizer.model files of type BPE only")
			.hasMessageContaining("tokenizer.json");
	}

	@Test
	void aUnigramTokenizerJsonEncodesAsTheTokenizersLibrary() throws Exception {
		JsonNode expected = new ObjectMapper().readTree(fixture("expected.json").toFile());
		try (Tokenizer t = HfTokenizer.open(fixture("tokenizer.json"), -1, -1)) {
			int[] ids = t.encode(expected.get("text").asText(), false);
			int[] want = new int[expected.get("ids").size()];
			for (int i = 0; i < want.length; i++) {
				want[i] = expected.get("ids").get(i).asInt();
			}
			assertThat(ids).containsExactly(want);
		}
	}
}
