package dev.lumen.analysis;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The answer of {@code POST /api/analyze}.
 * @param model model catalog name
 * @param sae SAE catalog name
 * @param prompt the prompt
 * @param tokens the prompt's tokens (BOS first)
 * @param target the target token with its logit and probability
 * @param contrast the contrast token
 * @param logitDifference logit(target) − logit(contrast) at the last position
 * @param predictions the 10 most likely next tokens
 * @param summed top features by attribution summed over positions (positive first, then negative)
 * @param positions per position, its top features (positive and negative)
 * @param verification exact ablations of the top summed features with the correlation to attribution, or null
 * @param traces for each feature of {@code summed}, its activation and attribution at every position (the heat-map)
 */
public record AnalysisResult(String model, String sae, String prompt, List<Token> tokens, Prediction target,
		Prediction contrast, @JsonProperty("logit_difference") float logitDifference, List<Prediction> predictions,
		List<FeatureRow> summed, List<PositionRows> positions, Verification verification, List<FeatureTrace> traces) {

	/** A prompt token. */
	public record Token(int position, int id, String text) {
	}

	/** A vocabulary entry with its last-position logit and probability. */
	public record Prediction(int id, String text, float logit, float probability) {
	}

	/**
	 * One feature in a table.
	 * @param index feature index
	 * @param activation its activation (summed rows: the largest over positions)
	 * @param attribution activation × ∂(logit difference)/∂activation (summed rows: over positions)
	 * @param ablation logit difference (clean) − logit difference with the feature zeroed at every position, or
	 *     null when not verified; first order, it equals the summed attribution
	 * @param label the newest label, or null
	 * @param url the feature page
	 */
	public record FeatureRow(int index, float activation, float attribution, Float ablation, String label, String url) {
	}

	/**
	 * One feature over the prompt.
	 * @param index feature index
	 * @param activations per position (BOS first), shape [pos]
	 * @param attributions activation × gradient per position, shape [pos]
	 */
	public record FeatureTrace(int index, List<Float> activations, List<Float> attributions) {
	}

	/** The top features at one position. */
	public record PositionRows(int position, String token, List<FeatureRow> features) {
	}

	/**
	 * @param features how many features were ablated
	 * @param correlation Pearson r between attribution and ablation over them (null when undefined)
	 * @param signAgreement how many moved the logit difference in the attributed direction
	 */
	public record Verification(int features, Double correlation, @JsonProperty("sign_agreement") int signAgreement) {
	}
}
