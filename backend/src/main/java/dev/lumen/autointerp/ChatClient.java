package dev.lumen.autointerp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;

/**
 * One chat completion over HTTP (Spring's {@link RestClient}, JSON by Jackson). A single call: errors are mapped to
 * {@link LlmException}s that say whether retrying may help; {@link RetryPolicy} does the retrying.
 */
public abstract class ChatClient {

	static final ObjectMapper JSON = new ObjectMapper();

	/** Longest error body quoted in a message. */
	private static final int QUOTED = 300;

	private final RestClient http;

	private final String model;

	/**
	 * @param baseUrl the provider's root, without the API path
	 * @param timeout per request, connection and answer together
	 */
	protected ChatClient(String baseUrl, String model, Duration timeout) {
		if (model == null || model.isBlank()) {
			throw new IllegalArgumentException("a model name is needed for " + getClass().getSimpleName());
		}
		URI base = URI.create(baseUrl);
		if (base.getScheme() == null || !base.getScheme().matches("https?")) {
			throw new IllegalArgumentException("base URL '" + baseUrl + "' must start with http:// or https://");
		}
		JdkClientHttpRequestFactory factory = new JdkClientHttpRequestFactory(
				HttpClient.newBuilder().connectTimeout(timeout).build());
		factory.setReadTimeout(timeout);
		this.http = RestClient.builder().baseUrl(baseUrl.replaceAll("/+$", "")).requestFactory(factory).build();
		this.model = model;
	}

	/** @return the model name sent to the provider */
	public String model() {
		return this.model;
	}

	/** @return e.g. {@code anthropic:claude-...}, stored as the label's explainer */
	public abstract String name();

	/**
	 * @param purpose what the call is for ({@code explain}, {@code specificity}), recorded in the transcript
	 * @return the assistant's text
	 */
	public String complete(String purpose, String system, String user, int maxTokens) {
		String body;
		try {
			body = JSON.writeValueAsString(requestBody(system, user, maxTokens));
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException(ex);
		}
		Reply reply;
		try {
			reply = this.http.post().uri(path()).headers(this::authenticate).contentType(MediaType.APPLICATION_JSON)
				.accept(MediaType.APPLICATION_JSON).body(body)
				.exchange((request, response) -> new Reply(response.getStatusCode().value(),
						response.getHeaders().getFirst(HttpHeaders.RETRY_AFTER), read(response.getBody())), true);
		}
		catch (ResourceAccessException ex) {
			Throwable cause = ex.getMostSpecificCause();
			LlmException failure = new LlmException(name() + ": no answer (" + cause.getClass().getSimpleName() + ": "
					+ cause.getMessage() + ")", true, ex);
			Transcript.record(new Transcript.Call(purpose, name(), system, user, null, null, failure.getMessage()));
			throw failure;
		}
		try {
			String text = answer(reply);
			Transcript.record(new Transcript.Call(purpose, name(), system, user, reply.status(), reply.body(), null));
			return text;
		}
		catch (LlmException ex) {
			Transcript.record(new Transcript.Call(purpose, name(), system, user, reply.status(), reply.body(), ex.getMessage()));
			throw ex;
		}
	}

	private String answer(Reply reply) {
		if (reply.status() == 429) {
			throw new RetryPolicy.RateLimited(name() + ": rate limited (HTTP 429): " + quote(reply.body()),
					retryAfter(reply.retryAfter()));
		}
		if (reply.status() >= 500) {
			throw new LlmException(name() + ": server error HTTP " + reply.status() + ": " + quote(reply.body()), true);
		}
		if (reply.status() >= 300) {
			// 4xx other than 429: the key, the model name or the request is wrong; retrying cannot help
			throw new LlmException(name() + ": HTTP " + reply.status() + ": " + quote(reply.body()), false);
		}
		JsonNode json;
		try {
			json = JSON.readTree(reply.body());
		}
		catch (JsonProcessingException ex) {
			throw new LlmException(name() + ": answer is not JSON: " + quote(reply.body()), true, ex);
		}
		String text = text(json);
		if (text == null) {
			throw new LlmException(name() + ": answer has no text: " + quote(reply.body()), true);
		}
		return text;
	}

	/** @return the API path below the base URL */
	protected abstract String path();

	protected abstract void authenticate(HttpHeaders headers);

	protected abstract Map<String, Object> requestBody(String system, String user, int maxTokens);

	/** @return the assistant's text in a successful answer, or null when it has none */
	protected abstract String text(JsonNode answer);

	record Reply(int status, String retryAfter, String body) {
	}

	private static String read(InputStream body) throws IOException {
		return body == null ? "" : new String(body.readAllBytes(), StandardCharsets.UTF_8);
	}

	/** Retry-After in seconds (the HTTP-date form is treated as absent: backoff applies). */
	static Duration retryAfter(String header) {
		if (header == null) {
			return null;
		}
		try {
			return Duration.ofSeconds(Math.max(0, Long.parseLong(header.strip())));
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	static String quote(String body) {
		String s = body == null ? "" : body.strip().replaceAll("\\s+", " ");
		return s.length() <= QUOTED ? s : s.substring(0, QUOTED) + "…";
	}
}
