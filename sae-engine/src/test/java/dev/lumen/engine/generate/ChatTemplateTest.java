package dev.lumen.engine.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lumen.engine.generate.ChatTemplate.Message;
import dev.lumen.engine.testing.RepoAssets;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ChatTemplateTest {

	private static final List<Message> CONVERSATION = List.of(new Message("system", "You are terse."),
			new Message("user", "Hi there!"), new Message("assistant", "Hello."), new Message("user", "Tell me a story."));

	private static Path fixture(String name) throws URISyntaxException {
		return Path.of(ChatTemplateTest.class.getResource("/chat-templates/" + name).toURI());
	}

	@ParameterizedTest
	@ValueSource(strings = { "gemma-3-4b-it", "InternVL3-1B-hf", "Llama-3.2-11B-Vision-Instruct" })
	void rendersRealTemplatesExactlyLikePythonJinja2(String model) throws Exception {
		ChatTemplate template = ChatTemplate.fromTokenizerConfig(fixture(model + "/tokenizer_config.json")).orElseThrow();
		String expected = Files.readString(fixture(model + "/expected-python-jinja2.txt"));
		assertThat(template.render(CONVERSATION, true, Map.of("date_string", "26 Nov 2026"))).isEqualTo(expected);
	}

	@Test
	void templateErrorsReachTheCallerWithTheTemplatesMessage() throws Exception {
		ChatTemplate gemma = ChatTemplate.fromTokenizerConfig(fixture("gemma-3-4b-it/tokenizer_config.json")).orElseThrow();
		assertThatThrownBy(() -> gemma.render(List.of(new Message("user", "a"), new Message("user", "b")), true))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("Conversation roles must alternate user/assistant/user/assistant/...");
	}

	@Test
	void baseModelsHaveNoTemplate() throws IOException {
		assertThat(ChatTemplate.fromTokenizerConfig(RepoAssets.model("tinystories-1m/hf/tokenizer_config.json"))).isEmpty();
	}
}
