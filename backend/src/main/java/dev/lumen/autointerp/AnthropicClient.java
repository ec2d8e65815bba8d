package dev.lumen.autointerp;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;

/** The Anthropic Messages API ({@code POST /v1/messages}). */
public final class AnthropicClient extends ChatClient {

	/** The API's documented address. */
	public static final String DEFAULT_BASE_URL = "https://api.anthropic.com";

	static final String API_VERSION = "2023-06-01";

	private final String apiKey;

	public AnthropicClient(String baseUrl, String apiKey, String model, Duration timeout) {
		super(baseUrl, model, timeout);
		if (apiKey == null || apiKey.isBlank()) {
			throw new IllegalArgumentException("the Anthropic API needs a key: set ANTHROPIC_API_KEY");
		}
		this.apiKey = apiKey;
	}

	@Override
	public String name() {
		return "anthropic:" + model();
	}

	@Override
	protected String path() {
		return "/v1/messages";
	}

	@Override
	protected void authenticate(HttpHeaders headers) {
		headers.set("x-api-key", this.apiKey);
		headers.set("anthropic-version", API_VERSION);
	}

	@Override
	protected Map<String, Object> requestBody(String system, String user, int maxTokens) {
		return Map.of("model", model(), "max_tokens", maxTokens, "temperature", 0, "system", system, "messages",
				List.of(Map.of("role", "user", "content", user)));
	}

	@Override
	protected String text(JsonNode answer) {
		StringBuilder text = new StringBuilder();
		for (JsonNode block : answer.path("content")) {
			if ("text".equals(block.path("type").asText()) && block.path("text").isTextual()) {
				text.append(block.path("text").asText());
			}
		}
		return text.isEmpty() ? null : text.toString();
	}
}
