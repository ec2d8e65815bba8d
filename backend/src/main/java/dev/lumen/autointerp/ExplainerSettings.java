package dev.lumen.autointerp;

import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The language model the web app's "explain this feature" button uses: {@code lumen.autointerp.provider}
 * (anthropic or openai), {@code lumen.autointerp.model}, optionally {@code lumen.autointerp.base-url}; the key comes
 * from {@code ANTHROPIC_API_KEY} / {@code OPENAI_API_KEY} (or {@code lumen.autointerp.api-key}). Without a provider
 * and model the button is not shown.
 */
@Component("explainerSettings")
public class ExplainerSettings {

	private final String provider;

	private final String model;

	private final String baseUrl;

	private final String apiKey;

	private final Duration timeout;

	public ExplainerSettings(@Value("${lumen.autointerp.provider:}") String provider,
			@Value("${lumen.autointerp.model:}") String model, @Value("${lumen.autointerp.base-url:}") String baseUrl,
			@Value("${lumen.autointerp.api-key:}") String apiKey,
			@Value("${lumen.autointerp.timeout:60s}") Duration timeout) {
		this.provider = provider.trim().toLowerCase(java.util.Locale.ROOT);
		this.model = model.trim();
		this.baseUrl = baseUrl.trim();
		this.apiKey = !apiKey.isBlank() ? apiKey
				: System.getenv(this.provider.equals("anthropic") ? "ANTHROPIC_API_KEY" : "OPENAI_API_KEY");
		this.timeout = timeout;
	}

	/** @return true when a provider and model are configured */
	public boolean available() {
		return (this.provider.equals("anthropic") || this.provider.equals("openai")) && !this.model.isEmpty();
	}

	/** @return the configured explainer, retrying a few times with backoff */
	Explainer explainer() {
		if (!available()) {
			throw new IllegalStateException("no explainer model is configured: set lumen.autointerp.provider "
					+ "(anthropic or openai) and lumen.autointerp.model");
		}
		ChatClient client = this.provider.equals("anthropic")
				? new AnthropicClient(this.baseUrl.isEmpty() ? AnthropicClient.DEFAULT_BASE_URL : this.baseUrl, this.apiKey,
						this.model, this.timeout)
				: new OpenAiCompatibleClient(this.baseUrl.isEmpty() ? OpenAiCompatibleClient.DEFAULT_BASE_URL : this.baseUrl,
						this.apiKey, this.model, this.timeout);
		return new LlmExplainer(client, new RetryPolicy(3, Duration.ofSeconds(1), Duration.ofSeconds(30),
				d -> Thread.sleep(d.toMillis())));
	}
}
