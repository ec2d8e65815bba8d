package dev.lumen.playground;

import dev.lumen.catalog.CatalogModel;
import dev.lumen.catalog.LoadedModels;
import dev.lumen.catalog.SourceUnavailableException;
import dev.lumen.engine.generate.ChatTemplate;
import dev.lumen.engine.model.LanguageModel;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Turns a request's plain prompt or conversation into the text and token ids the generator is fed. A conversation
 * is rendered with the model's chat template and {@code add_generation_prompt}, then encoded without an added BOS
 * (templates write their own {@code bos_token}), as transformers' {@code apply_chat_template} does.
 */
@Component
class PromptRenderer {

	/** Roles a conversation may use. */
	static final Set<String> ROLES = Set.of("system", "user", "assistant");

	/**
	 * @param text the prompt as the model sees it (the rendered template for a conversation)
	 * @param ids its token ids
	 */
	record Rendered(String text, int[] ids) {
	}

	private final LoadedModels loaded;

	private final int maxPromptChars;

	PromptRenderer(LoadedModels loaded, @Value("${lumen.playground.max-prompt-chars:2000}") int maxPromptChars) {
		this.loaded = loaded;
		this.maxPromptChars = maxPromptChars;
	}

	/**
	 * Checks what can be checked without the model: one of prompt and messages, lengths, roles.
	 * @throws PlaygroundException naming the problem
	 */
	void check(SteerRequest request) {
		List<SteerRequest.Message> messages = request.messages();
		if (messages != null && request.prompt() != null) {
			throw new PlaygroundException("give either 'prompt' (plain completion) or 'messages' (a conversation), not both");
		}
		if (messages == null) {
			String prompt = request.prompt();
			if (prompt == null || prompt.isBlank()) {
				throw new PlaygroundException("prompt is empty");
			}
			checkLength(prompt.length(), "prompt has ");
			return;
		}
		if (messages.isEmpty()) {
			throw new PlaygroundException("messages is empty: give at least one {role, content}");
		}
		int chars = 0;
		for (int i = 0; i < messages.size(); i++) {
			SteerRequest.Message m = messages.get(i);
			if (m == null || m.role() == null || !ROLES.contains(m.role())) {
				throw new PlaygroundException("message " + (i + 1) + " has role '" + (m == null ? null : m.role())
						+ "'; valid roles: system, user, assistant");
			}
			if (m.content() == null || m.content().isBlank()) {
				throw new PlaygroundException("message " + (i + 1) + " (" + m.role() + ") is empty");
			}
			chars += m.content().length();
		}
		checkLength(chars, "the conversation has ");
	}

	private void checkLength(int chars, String what) {
		if (chars > this.maxPromptChars) {
			throw new PlaygroundException(what + chars + " characters; at most " + this.maxPromptChars + " are allowed");
		}
	}

	/**
	 * Renders and encodes a {@link #check checked} request for its model.
	 * @throws PlaygroundException for messages on a model without a chat template, a conversation the template
	 *         rejects, or a prompt longer than the model's context
	 */
	Rendered render(SteerRequest request, CatalogModel model, LanguageModel lm) {
		String text;
		boolean addBos;
		if (request.messages() == null) {
			text = request.prompt();
			addBos = true;
		}
		else {
			ChatTemplate template = chatTemplate(model).orElseThrow(() -> new PlaygroundException("model '"
					+ model.getName() + "' has no chat template (no chat_template in its tokenizer_config.json), so it "
					+ "takes a plain 'prompt', not 'messages'"));
			List<ChatTemplate.Message> turns = request.messages()
				.stream()
				.map(m -> new ChatTemplate.Message(m.role(), m.content()))
				.toList();
			try {
				text = template.render(turns, true);
			}
			catch (IllegalArgumentException ex) {
				throw new PlaygroundException("the chat template of model '" + model.getName()
						+ "' rejects the conversation: " + ex.getMessage());
			}
			addBos = false;
		}
		int[] ids = lm.tokenizer().encode(text, addBos);
		if (ids.length >= lm.config().maxSeqLen()) {
			throw new PlaygroundException("prompt is " + ids.length + " tokens long; the model's context holds "
					+ lm.config().maxSeqLen());
		}
		return new Rendered(text, ids);
	}

	/** @return the model's chat template, if it has one and its files are on this server */
	Optional<ChatTemplate> chatTemplate(CatalogModel model) {
		try {
			return this.loaded.chatTemplate(model.getSource());
		}
		catch (SourceUnavailableException ex) {
			throw new PlaygroundException(ex.getMessage());
		}
	}
}
