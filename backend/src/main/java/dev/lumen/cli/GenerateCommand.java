package dev.lumen.cli;

import dev.lumen.engine.device.Devices;
import dev.lumen.engine.generate.ChatTemplate;
import dev.lumen.engine.generate.GenerationOptions;
import dev.lumen.engine.generate.GenerationResult;
import dev.lumen.engine.generate.Generator;
import dev.lumen.engine.hub.HubDownloader;
import dev.lumen.engine.model.LanguageModel;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code lumen generate}: streams a model's continuation of a prompt to the terminal. */
@Command(name = "generate", mixinStandardHelpOptions = true,
		description = "Generate text with a model, streamed token by token. Chat models (a chat_template in "
				+ "tokenizer_config.json) get the prompt as a user message unless --raw.")
public class GenerateCommand implements Callable<Integer> {

	@Option(names = "--model", required = true, description = "model file or directory, or hf:ORG/NAME[@rev]")
	String model;

	@Option(names = "--prompt", required = true, description = "the prompt text")
	String prompt;

	@Option(names = "--max-tokens", defaultValue = "200", description = "new tokens at most (default: ${DEFAULT-VALUE})")
	int maxTokens;

	@Option(names = "--temperature", defaultValue = "0.8", description = "0 for greedy (default: ${DEFAULT-VALUE})")
	float temperature;

	@Option(names = "--top-p", defaultValue = "0.9", description = "nucleus sampling mass (default: ${DEFAULT-VALUE})")
	float topP;

	@Option(names = "--top-k", defaultValue = "0", description = "sample from the k likeliest tokens, 0 for all")
	int topK;

	@Option(names = "--seed", defaultValue = "42", description = "same seed, same tokens (default: ${DEFAULT-VALUE})")
	long seed;

	@Option(names = "--device", defaultValue = "auto", description = "cpu, cuda, cuda:N or auto (default: ${DEFAULT-VALUE})")
	String device;

	@Option(names = "--raw", description = "never apply a chat template")
	boolean raw;

	@Override
	public Integer call() throws Exception {
		if (this.prompt.isBlank()) {
			throw new IllegalArgumentException("--prompt is empty");
		}
		if (this.maxTokens < 1) {
			throw new IllegalArgumentException("--max-tokens must be at least 1, got " + this.maxTokens);
		}
		Path dir = new HubDownloader().resolveModel(this.model, (file, done, total) -> {
		});
		try (LanguageModel lm = LanguageModel.load(dir, Devices.parse(this.device))) {
			String text = this.prompt;
			Optional<ChatTemplate> chat = this.raw ? Optional.empty() : chatTemplate(dir);
			if (chat.isPresent()) {
				text = chat.get().render(List.of(new ChatTemplate.Message("user", this.prompt)), true);
			}
			// a rendered chat template already holds its BOS
			int[] ids = lm.tokenizer().encode(text, chat.isEmpty());
			GenerationOptions options = this.temperature <= 0 ? GenerationOptions.greedy(this.maxTokens)
					: GenerationOptions.sampling(this.maxTokens, this.temperature, this.topP, this.seed).withTopK(this.topK);
			PrintStream out = System.out;
			out.print(this.prompt);
			GenerationResult result = new Generator(lm).generate(ids, options, (id, piece) -> {
				out.print(piece);
				out.flush();
			});
			out.println();
			System.err.println("[" + result.tokens().length + " tokens, stopped: " + result.stopReason() + "]");
			return 0;
		}
	}

	private static Optional<ChatTemplate> chatTemplate(Path modelPath) {
		Path dir = Files.isDirectory(modelPath) ? modelPath : modelPath.toAbsolutePath().getParent();
		Path config = dir.resolve("tokenizer_config.json");
		return Files.isRegularFile(config) ? ChatTemplate.fromTokenizerConfig(config) : Optional.empty();
	}
}
