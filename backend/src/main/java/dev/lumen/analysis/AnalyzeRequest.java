package dev.lumen.analysis;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What {@code POST /api/analyze} and the {@code /analyze} form ask for (JSON names in snake_case).
 * @param model the model's catalog name
 * @param sae the SAE's catalog name (on {@code model})
 * @param prompt the text whose next token is explained
 * @param target the target token (its text, e.g. {@code " play"}, or {@code #123} for id 123); null = top-1 prediction
 * @param contrast the contrast token, same forms; null = the most likely token other than the target
 * @param top features listed per sign, per position and summed; null = 10
 * @param verify how many of the top summed features to ablate exactly; null = 10, 0 = none
 */
public record AnalyzeRequest(String model, String sae, String prompt, String target, String contrast, Integer top,
		@JsonProperty("verify") Integer verify) {
}
