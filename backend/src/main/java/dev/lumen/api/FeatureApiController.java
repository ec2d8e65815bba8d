package dev.lumen.api;

import dev.lumen.api.ApiDtos.ExampleJson;
import dev.lumen.api.ApiDtos.FeatureJson;
import dev.lumen.api.ApiDtos.HistogramJson;
import dev.lumen.api.ApiDtos.LabelJson;
import dev.lumen.api.ApiDtos.LogitEffectsJson;
import dev.lumen.api.ApiDtos.NeighboursJson;
import dev.lumen.api.ApiDtos.SiblingJson;
import dev.lumen.api.ApiDtos.TokenValue;
import dev.lumen.feature.FeatureLabel;
import dev.lumen.feature.FeatureRepository;
import dev.lumen.feature.FeatureService;
import dev.lumen.feature.FeatureStats;
import dev.lumen.feature.LogitEffects;
import dev.lumen.feature.StoredExample;
import dev.lumen.feature.TokenVocabulary;
import dev.lumen.sae.ResolvedSae;
import dev.lumen.sae.SaeDirectory;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.ArrayList;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** JSON for single features: {@code /api/{model}/{sae}/{index}} and its examples and neighbours. */
@RestController
@RequestMapping("/api/{model}/{sae}/{index}")
@Tag(name = "features")
class FeatureApiController {

	private final SaeDirectory directory;

	private final FeatureService service;

	private final FeatureRepository features;

	private final TokenVocabulary vocabulary;

	FeatureApiController(SaeDirectory directory, FeatureService service, FeatureRepository features,
			TokenVocabulary vocabulary) {
		this.directory = directory;
		this.service = service;
		this.features = features;
		this.vocabulary = vocabulary;
	}

	@GetMapping
	@Operation(summary = "A feature: statistics, newest label, activation histogram, logit effects, co-occurring features")
	FeatureJson showFeature(@PathVariable String model, @PathVariable String sae, @PathVariable String index) {
		ResolvedSae s = this.directory.resolve(model, sae);
		int i = this.directory.featureIndex(s, index);
		FeatureStats stats = this.service.stats(s, i);
		LabelJson label = this.features.findLatestLabel(s.saeId(), i).map(FeatureApiController::label).orElse(null);
		HistogramJson histogram = this.features.findHistogram(s.saeId(), i, "activation")
			.map(h -> new HistogramJson(h.binEdges(), h.counts()))
			.orElse(null);
		LogitEffectsJson logits = this.features.findLogitEffects(s.saeId(), i).map(e -> logits(s, e)).orElse(null);
		return new FeatureJson(s.modelName(), s.saeName(), i, stats.density(), stats.maxActivation(),
				stats.meanActivation(), label, histogram, logits, this.service.cooccurring(s, i), s.featureHref(i));
	}

	@GetMapping("/examples")
	@Operation(summary = "A feature's top, interval and zero examples with per-token activations")
	List<ExampleJson> listExamples(@PathVariable String model, @PathVariable String sae, @PathVariable String index) {
		ResolvedSae s = this.directory.resolve(model, sae);
		int i = this.directory.featureIndex(s, index);
		this.service.stats(s, i);
		List<ExampleJson> out = new ArrayList<>();
		for (StoredExample e : this.features.findExamples(s.saeId(), i)) {
			List<String> tokens = new ArrayList<>(e.tokenIds().length);
			for (int id : e.tokenIds()) {
				tokens.add(this.vocabulary.text(s.modelId(), id));
			}
			out.add(new ExampleJson(e.kind(), e.intervalIndex(), e.rank(), e.corpus(), e.docIndex(), e.startPos(),
					e.maxPosition(), e.maxActivation(), tokens, e.tokenIds(), e.activations()));
		}
		return out;
	}

	@GetMapping("/neighbours")
	@Operation(summary = "Nearest features by decoder cosine, in this SAE and in every other SAE on the same hook")
	NeighboursJson listNeighbours(@PathVariable String model, @PathVariable String sae, @PathVariable String index) {
		ResolvedSae s = this.directory.resolve(model, sae);
		int i = this.directory.featureIndex(s, index);
		this.service.stats(s, i);
		List<SiblingJson> siblings = this.service.siblingNeighbours(s, i)
			.stream()
			.map(n -> new SiblingJson(n.sae().saeName(), n.sae().sae().getDSae(), n.features()))
			.toList();
		return new NeighboursJson(this.service.neighbours(s, i), siblings);
	}

	private LogitEffectsJson logits(ResolvedSae s, LogitEffects e) {
		return new LogitEffectsJson(tokenValues(s, e.topTokenIds(), e.topValues()),
				tokenValues(s, e.bottomTokenIds(), e.bottomValues()));
	}

	private List<TokenValue> tokenValues(ResolvedSae s, int[] ids, float[] values) {
		List<TokenValue> out = new ArrayList<>();
		for (int k = 0; k < Math.min(ids.length, values.length); k++) {
			out.add(new TokenValue(ids[k], this.vocabulary.text(s.modelId(), ids[k]), values[k]));
		}
		return out;
	}

	private static LabelJson label(FeatureLabel l) {
		return new LabelJson(l.label(), l.description(), l.explainer(), l.heuristic(), l.scores(),
				l.createdAt() == null ? null : l.createdAt().toString());
	}
}
