package dev.lumen.playground;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * What {@code POST /api/steer} and the playground form ask for (JSON names in snake_case, as Neuronpedia's API).
 * Give either {@code prompt} (plain completion) or {@code messages} (a conversation, rendered with the model's chat
 * template), not both.
 * @param prompt the text to continue, or null when {@code messages} is given
 * @param model the model's catalog name
 * @param features the features to steer
 * @param temperature 0 = greedy; null = 0.8
 * @param maxTokens new tokens to generate; null = 40
 * @param seed sampling seed, the same for both completions; null = 42
 * @param topP nucleus; null = 0.9
 * @param positions {@code all} (default) or {@code generated}
 * @param messages a conversation for a model with a chat template, or null when {@code prompt} is given
 */
public record SteerRequest(String prompt, String model, List<Feature> features, Float temperature,
		@JsonProperty("max_tokens") Integer maxTokens, Long seed, @JsonProperty("top_p") Float topP, String positions,
		List<Message> messages) {

	/** A plain-completion request (no conversation). */
	public SteerRequest(String prompt, String model, List<Feature> features, Float temperature, Integer maxTokens, Long seed,
			Float topP, String positions) {
		this(prompt, model, features, temperature, maxTokens, seed, topP, positions, null);
	}

	/**
	 * One feature to steer.
	 * @param sae the SAE's catalog name (on {@code model})
	 * @param index the feature's index
	 * @param mode {@code clamp} or {@code add}
	 * @param value the clamp value or α
	 * @param unit for clamp: {@code multiple} (of the feature's max activation, the default) or {@code absolute}
	 */
	public record Feature(String sae, Integer index, String mode, Float value, String unit) {
	}

	/**
	 * One turn of a conversation.
	 * @param role {@code system}, {@code user} or {@code assistant}
	 * @param content the turn's text
	 */
	public record Message(String role, String content) {
	}
}
