package dev.lumen.playground;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * What {@code POST /api/steer} and the playground form ask for (JSON names in snake_case, as Neuronpedia's API).
 * @param prompt the text to continue
 * @param model the model's catalog name
 * @param features the features to steer
 * @param temperature 0 = greedy; null = 0.8
 * @param maxTokens new tokens to generate; null = 40
 * @param seed sampling seed, the same for both completions; null = 42
 * @param topP nucleus; null = 0.9
 * @param positions {@code all} (default) or {@code generated}
 */
public record SteerRequest(String prompt, String model, List<Feature> features, Float temperature,
		@JsonProperty("max_tokens") Integer maxTokens, Long seed, @JsonProperty("top_p") Float topP, String positions) {

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
}
