package dev.lumen.playground;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The answer of a steering run: both completions of the same prompt with the same seed.
 * @param model the model's catalog name
 * @param prompt the prompt as the model saw it: the given prompt, or the conversation rendered with the model's chat
 *        template
 * @param defaultCompletion without steering
 * @param steeredCompletion with the features changed
 * @param features what was applied, with clamp values resolved to absolute activations
 */
public record SteerResult(String model, String prompt, @JsonProperty("default") Completion defaultCompletion,
		@JsonProperty("steered") Completion steeredCompletion, List<AppliedFeature> features) {

	/**
	 * @param text the generated text (untrusted model output: escape when shown)
	 * @param tokens the generated token ids
	 * @param tokenTexts each token's text as it completes the output
	 * @param stopReason why generation ended (MAX_TOKENS, STOP_TOKEN, CONTEXT_FULL, CANCELLED)
	 * @param featureActivations steered only (else null): per generated token, the steered features' activations
	 *        at that token before steering, in the order of {@code features}; null for the last token (never fed back)
	 */
	public record Completion(String text, List<Integer> tokens, @JsonProperty("token_texts") List<String> tokenTexts,
			@JsonProperty("stop_reason") String stopReason,
			@JsonProperty("feature_activations") List<List<Float>> featureActivations) {
	}

	/**
	 * @param sae the SAE's catalog name
	 * @param index the feature
	 * @param mode clamp or add
	 * @param value as requested
	 * @param unit multiple or absolute (clamp), absolute for add
	 * @param applied the clamp activation or α actually used
	 * @param maxActivation the feature's max activation from extraction, null when unknown
	 */
	public record AppliedFeature(String sae, int index, String mode, float value, String unit, float applied,
			@JsonProperty("max_activation") Float maxActivation) {
	}
}
