package dev.lumen.autointerp;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;

/**
 * Any OpenAI-compatible {@code POST /v1/chat/completions} endpoint: OpenAI itself, vLLM, llama.cpp server, Ollama.
 * The key is optional (local servers often need none).
 */
public final class OpenAiCompatibleClient extends ChatClient {

	/** OpenAI's documented address; local servers pass their own. */
	public static final String DEFAULT_BASE_URL = "https://api.openai.com";

	private final String apiKey;

	public OpenAiCompatibleClient(String baseUrl, String apiKey, String model, Duration timeout) {
		super(baseUrl, model, timeout);
		this.apiKey = apiKey;
	}

	@Override
	public String name() {
		return "openai-compatible:" + model();
	}

	@Override
	protected String path() {
		return "/v1/chat/completions";
	}

	@Override
	protected void authenticate(HttpHeaders headers) {
		if (this.apiKey != null && !this.apiKey.isBlank()) {
			headers.setBearerAuth(this.apiKey);
		}
	}

	@Override
	protected Map<String, Object> requestBody(String system, String user, int maxTokens) {
		return Map.of("model", model(), "max_tokens", maxTokens, "temperature", 0, "messages",
				List.of(Map.of("role", "system", "content", system), Map.of("role", "user", "content", user)));
	}

	@Override
	protected String text(JsonNode answer) {
		JsonNode content = answer.path("choices").path(0).path("message").path("content");
		return content.isTextual() ? content.asText() : null;
	}
}
