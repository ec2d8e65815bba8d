package dev.lumen.search;

import dev.lumen.feature.ActivationProbe;
import dev.lumen.feature.FeatureRepository;
import dev.lumen.feature.PromptActivations;
import dev.lumen.feature.PromptActivations.FeatureActivation;
import dev.lumen.feature.TokenDisplay;
import dev.lumen.feature.TokenVocabulary;
import dev.lumen.sae.ResolvedSae;
import dev.lumen.system.ModelWork;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.springframework.stereotype.Service;

/**
 * Search by prompt: which features fire on each token of a text, and the paper's multi-prompt filter, the
 * features active on every positive prompt and on none of the negative ones.
 */
@Service
public class PromptSearchService {

	/** Features listed per token. */
	public static final int TOP_PER_TOKEN = 8;

	/** Features listed by the filter. */
	public static final int FILTER_RESULTS = 50;

	/** Prompts taken from each box, one per line. */
	public static final int MAX_PROMPTS = 8;

	private final ActivationProbe probe;

	private final FeatureRepository features;

	private final TokenVocabulary vocabulary;

	private final ModelWork work;

	public PromptSearchService(ActivationProbe probe, FeatureRepository features, TokenVocabulary vocabulary, ModelWork work) {
		this.work = work;
		this.probe = probe;
		this.features = features;
		this.vocabulary = vocabulary;
	}

	/** @return each token of the text with its most active features and their labels */
	public List<TokenFeatures> tokens(ResolvedSae sae, String text) {
		PromptActivations acts;
		try (ModelWork.Permit permit = this.work.enter(ModelWork.Kind.PROBE, List.of(text))) {
			acts = this.probe.activations(sae, text);
		}
		List<List<FeatureActivation>> tops = IntStream.range(0, acts.length()).mapToObj(p -> acts.top(p, TOP_PER_TOKEN)).toList();
		int[] all = tops.stream().flatMap(List::stream).mapToInt(FeatureActivation::index).distinct().toArray();
		Map<Integer, String> labels = this.features.findLabelTexts(sae.saeId(), all);
		List<TokenFeatures> out = new ArrayList<>();
		for (int p = 0; p < acts.length(); p++) {
			String token = this.vocabulary.visible(sae.modelId(), acts.tokenIds()[p]);
			List<ActiveFeature> active = tops.get(p)
				.stream()
				.map(a -> new ActiveFeature(a.index(), a.activation(), labels.get(a.index()), sae.featureHref(a.index())))
				.toList();
			out.add(new TokenFeatures(p, token, active));
		}
		return out;
	}

	/**
	 * Features whose max activation is above zero on every positive prompt and zero on every negative one,
	 * ranked by their weakest positive activation.
	 */
	public List<FilteredFeature> filter(ResolvedSae sae, List<String> positives, List<String> negatives) {
		if (positives.isEmpty()) {
			return List.of();
		}
		List<float[]> pos; // [prompt][dSae]
		List<float[]> neg;
		List<String> all = new ArrayList<>(positives);
		all.addAll(negatives);
		try (ModelWork.Permit permit = this.work.enter(ModelWork.Kind.FILTER, all)) {
			pos = positives.stream().map(t -> this.probe.activations(sae, t).maxPerFeature()).toList();
			neg = negatives.stream().map(t -> this.probe.activations(sae, t).maxPerFeature()).toList();
		}
		int dSae = pos.get(0).length;
		List<FilteredFeature> kept = new ArrayList<>();
		for (int f = 0; f < dSae; f++) {
			float weakest = Float.MAX_VALUE;
			for (float[] p : pos) {
				weakest = Math.min(weakest, p[f]);
			}
			if (weakest <= 0) {
				continue;
			}
			boolean onNegative = false;
			for (float[] n : neg) {
				onNegative |= n[f] > 0;
			}
			if (!onNegative) {
				int index = f;
				kept.add(new FilteredFeature(f, weakest, pos.stream().map(p -> p[index]).toList(), null, sae.featureHref(f)));
			}
		}
		List<FilteredFeature> top = kept.stream()
			.sorted(Comparator.comparingDouble(FilteredFeature::weakest).reversed().thenComparingInt(FilteredFeature::index))
			.limit(FILTER_RESULTS)
			.toList();
		Map<Integer, String> labels = this.features.findLabelTexts(sae.saeId(),
				top.stream().mapToInt(FilteredFeature::index).toArray());
		return top.stream().map(f -> f.withLabel(labels.get(f.index()))).toList();
	}

	/** @return the prompts in a box, one per non-blank line, at most {@link #MAX_PROMPTS} */
	public static List<String> lines(String box) {
		if (box == null) {
			return List.of();
		}
		return box.lines().map(String::strip).filter(l -> !l.isEmpty()).limit(MAX_PROMPTS).toList();
	}

	/** One token with its most active features. */
	public record TokenFeatures(int position, String token, List<ActiveFeature> features) {

		/** @return the strongest activation at this token, 0 when none fires */
		public float strongest() {
			return this.features.isEmpty() ? 0 : this.features.get(0).activation();
		}
	}

	/** A feature active on a token. */
	public record ActiveFeature(int index, float activation, String label, String href) {

		public String shown() {
			return dev.lumen.display.ActivationFormat.format(this.activation);
		}
	}

	/**
	 * A feature the multi-prompt filter kept.
	 * @param weakest its smallest max activation over the positive prompts
	 * @param perPrompt its max activation on each positive prompt
	 */
	public record FilteredFeature(int index, float weakest, List<Float> perPrompt, String label, String href) {

		FilteredFeature withLabel(String l) {
			return new FilteredFeature(this.index, this.weakest, this.perPrompt, l, this.href);
		}
	}
}
