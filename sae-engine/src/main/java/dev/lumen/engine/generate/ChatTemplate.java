package dev.lumen.engine.generate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A chat model's prompt format: the Jinja {@code chat_template} of its {@code tokenizer_config.json},
 * rendered with jinjava the way transformers renders it (trim_blocks, lstrip_blocks, {@code messages},
 * {@code bos_token}, {@code eos_token}, {@code add_generation_prompt}, {@code raise_exception},
 * {@code strftime_now}). Base models have no template and take plain text.
 */
public final class ChatTemplate {

	private static final ObjectMapper JSON = new ObjectMapper();

	private final String template;

	private final String bosToken;

	private final String eosToken;

	private final Jinjava jinjava;

	/**
	 * One chat turn.
	 * @param role "system", "user" or "assistant"
	 * @param content the text
	 */
	public record Message(String role, String content) {
	}

	/**
	 * @param template the Jinja source
	 * @param bosToken value of {@code bos_token} ("" when none)
	 * @param eosToken value of {@code eos_token} ("" when none)
	 */
	public ChatTemplate(String template, String bosToken, String eosToken) {
		this.template = stripExpressionWhitespace(template);
		this.bosToken = bosToken;
		this.eosToken = eosToken;
		this.jinjava = new Jinjava(JinjavaConfig.newBuilder().withTrimBlocks(true).withLstripBlocks(true).build());
		this.jinjava.getGlobalContext()
			.registerFunction(new ELFunctionDefinition("", "raise_exception", ChatTemplate.class, "raiseException",
					String.class));
		this.jinjava.getGlobalContext()
			.registerFunction(new ELFunctionDefinition("", "strftime_now", ChatTemplate.class, "strftimeNow", String.class));
	}

	/**
	 * Reads the template of a model directory's tokenizer_config.json.
	 * @return the template, or empty when the file or its {@code chat_template} is absent (a base model)
	 * @throws IllegalArgumentException naming the file when it is not valid JSON
	 */
	public static Optional<ChatTemplate> fromTokenizerConfig(Path file) {
		if (!Files.isRegularFile(file)) {
			return Optional.empty();
		}
		JsonNode root;
		try {
			root = JSON.readTree(file.toFile());
		}
		catch (IOException ex) {
			throw new IllegalArgumentException(file + ": not valid JSON: " + ex.getMessage(), ex);
		}
		JsonNode t = root.get("chat_template");
		if (t == null || t.isNull()) {
			return Optional.empty();
		}
		String source;
		if (t.isArray()) {
			// a list of named templates: use "default"
			source = null;
			for (JsonNode named : t) {
				if ("default".equals(named.path("name").asText())) {
					source = named.path("template").asText();
				}
			}
			if (source == null) {
				throw new IllegalArgumentException(file + ": chat_template list has no \"default\" entry");
			}
		}
		else {
			source = t.asText();
		}
		return Optional.of(new ChatTemplate(source, token(root.get("bos_token")), token(root.get("eos_token"))));
	}

	/**
	 * jinjava does not apply Jinja's whitespace control ({@code {{-}, {@code -}}}, {@code {%-}, {@code -%}}, {@code {#-}, {@code -#}})
	 * everywhere Jinja does, so it is applied here: the whitespace before/after such a tag is removed and
	 * the tag becomes a plain one.
	 */
	static String stripExpressionWhitespace(String template) {
		return template.replaceAll("\\s*\\{\\{-", "{{")
			.replaceAll("-}}\\s*", "}}")
			.replaceAll("\\s*\\{%-", "{%")
			.replaceAll("-%}\\s*", "%}")
			.replaceAll("\\s*\\{#-", "{#")
			.replaceAll("-#}\\s*", "#}");
	}

	private static String token(JsonNode n) {
		if (n == null || n.isNull()) {
			return "";
		}
		return n.isObject() ? n.path("content").asText("") : n.asText();
	}

	/**
	 * Renders a conversation into the prompt text.
	 * @param messages the turns so far
	 * @param addGenerationPrompt whether to append the assistant header so the model answers next
	 * @return prompt text (encode it without adding BOS: templates write bos_token themselves)
	 * @throws IllegalArgumentException with the template's own message when it rejects the conversation
	 */
	public String render(List<Message> messages, boolean addGenerationPrompt) {
		return render(messages, addGenerationPrompt, Map.of());
	}

	/**
	 * Renders with extra template variables (e.g. {@code date_string}, {@code tools}).
	 * @param extra additional bindings; they override nothing of the standard ones
	 */
	public String render(List<Message> messages, boolean addGenerationPrompt, Map<String, Object> extra) {
		List<Map<String, Object>> msgs = new ArrayList<>();
		for (Message m : messages) {
			Map<String, Object> map = new LinkedHashMap<>();
			map.put("role", m.role());
			map.put("content", m.content());
			msgs.add(map);
		}
		Map<String, Object> bindings = new HashMap<>(extra);
		bindings.put("messages", msgs);
		bindings.put("bos_token", this.bosToken);
		bindings.put("eos_token", this.eosToken);
		bindings.put("add_generation_prompt", addGenerationPrompt);
		RenderResult result = this.jinjava.renderForResult(this.template, bindings);
		List<TemplateError> fatal = result.getErrors()
			.stream()
			.filter(e -> e.getSeverity() == TemplateError.ErrorType.FATAL)
			.toList();
		if (!fatal.isEmpty()) {
			throw new IllegalArgumentException("chat template failed: "
					+ fatal.stream().map(ChatTemplate::describe).collect(Collectors.joining("; ")));
		}
		return result.getOutput();
	}

	private static String describe(TemplateError e) {
		Throwable cause = e.getException();
		while (cause != null && cause.getCause() != null && cause.getCause() != cause) {
			cause = cause.getCause();
		}
		return cause instanceof TemplateRaisedException ? cause.getMessage() : e.getMessage();
	}

	/** {@code raise_exception(msg)} of HF templates. */
	public static Object raiseException(String message) {
		throw new TemplateRaisedException(message);
	}

	/** {@code strftime_now(format)} of HF templates, for the few strftime fields templates use. */
	public static String strftimeNow(String format) {
		String pattern = format.replace("%d", "dd").replace("%b", "MMM").replace("%B", "MMMM").replace("%Y", "yyyy")
			.replace("%m", "MM").replace("%H", "HH").replace("%M", "mm");
		return LocalDate.now().atStartOfDay().format(DateTimeFormatter.ofPattern(pattern, Locale.ENGLISH));
	}

	/** The error a template raises on purpose (e.g. roles that do not alternate). */
	static final class TemplateRaisedException extends RuntimeException {

		TemplateRaisedException(String message) {
			super(message);
		}
	}
}
