package dev.lumen.api;

import dev.lumen.feature.LinkedFeature;
import dev.lumen.sae.SaeStats;
import java.util.List;
import java.util.Map;

/** The JSON shapes of {@code /api}: plain records, raw numbers and raw token strings (never HTML). */
final class ApiDtos {

	private ApiDtos() {
	}

	/** A model with its SAEs. */
	record ModelJson(String name, String displayName, String architecture, int dModel, int nLayers, int vocabSize,
			List<SaeJson> saes) {
	}

	/** An SAE with its key numbers from eval_stats (null where not stored). */
	record SaeJson(String model, String name, String hookName, int hookLayer, int dIn, int dSae, String architecture,
			SaeStats evalStats, String url) {
	}

	/** One page of an SAE's features. */
	record FeaturePageJson(String model, String sae, long total, int page, int pageSize, String sort, String dir,
			List<FeatureRowJson> features) {
	}

	record FeatureRowJson(int index, Float density, Float maxActivation, String label, boolean heuristicLabel) {
	}

	/** A feature with everything but its examples and neighbours (separate endpoints). */
	record FeatureJson(String model, String sae, int index, Float density, Float maxActivation, Float meanActivation,
			LabelJson label, HistogramJson activationHistogram, LogitEffectsJson logitEffects,
			List<LinkedFeature> cooccurring, String url) {
	}

	record LabelJson(String label, String description, String explainer, boolean heuristic, Map<String, Object> scores,
			String createdAt) {
	}

	/** Histogram with {@code binEdges} of length n + 1 and {@code counts} of length n. */
	record HistogramJson(float[] binEdges, long[] counts) {
	}

	record LogitEffectsJson(List<TokenValue> top, List<TokenValue> bottom) {
	}

	record TokenValue(int tokenId, String token, float value) {
	}

	/** One example: tokens (raw strings), their ids and the feature's activation on each, all of length pos. */
	record ExampleJson(String kind, int intervalIndex, int rank, String corpus, int docIndex, int startPos,
			int maxPosition, float maxActivation, List<String> tokens, int[] tokenIds, float[] activations) {
	}

	record NeighboursJson(List<LinkedFeature> sameSae, List<SiblingJson> otherSaes) {
	}

	record SiblingJson(String sae, int dSae, List<LinkedFeature> features) {
	}

	record IndexHitJson(String model, String sae, int index, String url) {
	}

	record SearchJson(String query, String mode, boolean truncated, List<IndexHitJson> indexHits,
			List<dev.lumen.search.LabelMatch> matches, int page, boolean more) {
	}
}
