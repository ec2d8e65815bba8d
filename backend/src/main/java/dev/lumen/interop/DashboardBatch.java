package dev.lumen.interop;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * One {@code batch-N.json} file of SAEDashboard's Neuronpedia runner, field for field as
 * {@code sae_dashboard/neuronpedia/neuronpedia_dashboard.py} ({@code NeuronpediaDashboardBatch.to_dict}) writes
 * it. Names are the file's, so an unknown or misspelt key is refused by the reader rather than dropped.
 */
@JsonPropertyOrder({ "model_id", "layer", "sae_set", "features" })
record DashboardBatch(@JsonProperty("model_id") String modelId, @JsonProperty("layer") Integer layer,
		@JsonProperty("sae_set") String saeSet, @JsonProperty("features") List<Feature> features) {

	/** {@code NeuronpediaDashboardFeature}: one feature's tables, logits, histograms and activation examples. */
	@JsonPropertyOrder({ "feature_index", "neuron_alignment_indices", "neuron_alignment_values", "neuron_alignment_l1",
			"correlated_neurons_indices", "correlated_neurons_l1", "correlated_neurons_pearson",
			"correlated_features_indices", "correlated_features_l1", "correlated_features_pearson", "neg_str",
			"neg_values", "pos_str", "pos_values", "frac_nonzero", "freq_hist_data_bar_values",
			"freq_hist_data_bar_heights", "logits_hist_data_bar_heights", "logits_hist_data_bar_values",
			"n_prompts_total", "n_tokens_in_prompt", "dataset", "decoder_weights_dist", "activations" })
	record Feature(@JsonProperty("feature_index") Integer featureIndex,
			@JsonProperty("neuron_alignment_indices") List<Integer> neuronAlignmentIndices,
			@JsonProperty("neuron_alignment_values") List<Double> neuronAlignmentValues,
			@JsonProperty("neuron_alignment_l1") List<Double> neuronAlignmentL1,
			@JsonProperty("correlated_neurons_indices") List<Integer> correlatedNeuronsIndices,
			@JsonProperty("correlated_neurons_l1") List<Double> correlatedNeuronsL1,
			@JsonProperty("correlated_neurons_pearson") List<Double> correlatedNeuronsPearson,
			@JsonProperty("correlated_features_indices") List<Integer> correlatedFeaturesIndices,
			@JsonProperty("correlated_features_l1") List<Double> correlatedFeaturesL1,
			@JsonProperty("correlated_features_pearson") List<Double> correlatedFeaturesPearson,
			@JsonProperty("neg_str") List<String> negStr, @JsonProperty("neg_values") List<Double> negValues,
			@JsonProperty("pos_str") List<String> posStr, @JsonProperty("pos_values") List<Double> posValues,
			@JsonProperty("frac_nonzero") Double fracNonzero,
			@JsonProperty("freq_hist_data_bar_values") List<Double> freqHistBarValues,
			@JsonProperty("freq_hist_data_bar_heights") List<Double> freqHistBarHeights,
			@JsonProperty("logits_hist_data_bar_heights") List<Double> logitsHistBarHeights,
			@JsonProperty("logits_hist_data_bar_values") List<Double> logitsHistBarValues,
			@JsonProperty("n_prompts_total") Integer nPromptsTotal,
			@JsonProperty("n_tokens_in_prompt") Integer nTokensInPrompt, @JsonProperty("dataset") String dataset,
			@JsonProperty("decoder_weights_dist") List<Double> decoderWeightsDist,
			@JsonProperty("activations") List<Activation> activations) {
	}

	/**
	 * {@code NeuronpediaDashboardActivation}: one window. {@code bin_min = -1} marks the top-activation group;
	 * the others are quantile bins ({@code bin_contains} = the fraction of the data in the bin). The {@code dfa_*}
	 * keys are absent when the runner did no direct feature attribution.
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	@JsonPropertyOrder({ "bin_min", "bin_max", "bin_contains", "tokens", "values", "qualifying_token_index",
			"dfa_values", "dfa_maxValue", "dfa_targetIndex" })
	record Activation(@JsonProperty("bin_min") Double binMin, @JsonProperty("bin_max") Double binMax,
			@JsonProperty("bin_contains") Double binContains, @JsonProperty("tokens") List<String> tokens,
			@JsonProperty("values") List<Double> values,
			@JsonProperty("qualifying_token_index") Integer qualifyingTokenIndex,
			@JsonProperty("dfa_values") List<Double> dfaValues, @JsonProperty("dfa_maxValue") Double dfaMaxValue,
			@JsonProperty("dfa_targetIndex") Integer dfaTargetIndex) {

		boolean isTop() {
			return this.binMin != null && this.binMin == -1;
		}
	}
}
