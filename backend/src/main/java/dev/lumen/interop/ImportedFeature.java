package dev.lumen.interop;

import java.util.List;
import java.util.Map;

/**
 * One feature as Lumen stores it, read from another tool's files: the columns Lumen has, plus {@code detail},
 * everything else the file held (kept so pages can show it and an export can write it back).
 * @param density fraction of tokens where the feature is active, or null when the file does not say
 * @param maxActivation the feature's max activation over the file's dataset, or null
 * @param corpus the dataset the examples come from (shown with each example)
 * @param histogramEdges activation histogram bin edges (n + 1), or null
 * @param histogramCounts activation histogram counts (n), or null
 */
record ImportedFeature(int index, Float density, Float maxActivation, String corpus, List<Example> examples,
		float[] histogramEdges, long[] histogramCounts, List<String> positiveTokens, float[] positiveValues,
		List<String> negativeTokens, float[] negativeValues, Map<String, Object> detail, List<Label> labels) {

	/**
	 * One example window.
	 * @param kind {@code top} or {@code interval}
	 * @param tokens token strings as the file has them
	 * @param values per-token activations, aligned with {@code tokens}
	 */
	record Example(String kind, int interval, int rank, List<String> tokens, float[] values, int maxPosition) {

		float maxActivation() {
			return this.values[this.maxPosition];
		}
	}

	/** An explanation from the file, with who wrote it and its scores. */
	record Label(String text, String explainer, Map<String, Object> scores) {
	}
}
