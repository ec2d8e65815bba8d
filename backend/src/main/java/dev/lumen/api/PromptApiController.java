package dev.lumen.api;

import dev.lumen.feature.ActivationProbe;
import dev.lumen.feature.PromptActivations;
import dev.lumen.feature.TokenVocabulary;
import dev.lumen.sae.ResolvedSae;
import dev.lumen.sae.SaeDirectory;
import dev.lumen.search.PromptSearchService;
import dev.lumen.search.PromptSearchService.FilteredFeature;
import dev.lumen.search.PromptSearchService.TokenFeatures;
import dev.lumen.system.ModelWork;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.ArrayList;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** JSON for activations on a user's text: the model and SAE run on the server. */
@RestController
@Tag(name = "activations")
class PromptApiController {

	private final SaeDirectory directory;

	private final ActivationProbe probe;

	private final PromptSearchService prompts;

	private final TokenVocabulary vocabulary;

	private final ModelWork work;

	PromptApiController(SaeDirectory directory, ActivationProbe probe, PromptSearchService prompts,
			TokenVocabulary vocabulary, ModelWork work) {
		this.work = work;
		this.directory = directory;
		this.probe = probe;
		this.prompts = prompts;
		this.vocabulary = vocabulary;
	}

	/** One feature's activation on every token of a text. */
	record FeatureActivationsJson(int index, List<String> tokens, int[] tokenIds, float[] activations, float max,
			boolean truncated) {
	}

	@GetMapping("/api/{model}/{sae}/{index}/activations")
	@Operation(summary = "Run the model and SAE on text; this feature's activation per token")
	FeatureActivationsJson featureActivations(@PathVariable String model, @PathVariable String sae,
			@PathVariable String index, @RequestParam String text) {
		ResolvedSae s = this.directory.resolve(model, sae);
		int i = this.directory.featureIndex(s, index);
		PromptActivations acts;
		try (ModelWork.Permit permit = this.work.enter(ModelWork.Kind.PROBE, List.of(text))) {
			acts = this.probe.activations(s, text);
		}
		float[] column = acts.feature(i);
		float max = 0;
		for (float a : column) {
			max = Math.max(max, a);
		}
		return new FeatureActivationsJson(i, rawTokens(s, acts.tokenIds()), acts.tokenIds(), column, max, acts.truncated());
	}

	@GetMapping("/api/{model}/{sae}/activations")
	@Operation(summary = "Run the model and SAE on text; every token with its most active features and their labels")
	List<TokenFeatures> tokenFeatures(@PathVariable String model, @PathVariable String sae, @RequestParam String text) {
		return this.prompts.tokens(this.directory.resolve(model, sae), text);
	}

	@GetMapping("/api/{model}/{sae}/filter")
	@Operation(summary = "Features active on every positive prompt and on no negative one (repeat the parameters)")
	List<FilteredFeature> filter(@PathVariable String model, @PathVariable String sae,
			@RequestParam List<String> positive, @RequestParam(required = false) List<String> negative) {
		return this.prompts.filter(this.directory.resolve(model, sae),
				positive.stream().limit(PromptSearchService.MAX_PROMPTS).toList(),
				negative == null ? List.of() : negative.stream().limit(PromptSearchService.MAX_PROMPTS).toList());
	}

	private List<String> rawTokens(ResolvedSae s, int[] ids) {
		List<String> out = new ArrayList<>(ids.length);
		for (int id : ids) {
			out.add(this.vocabulary.text(s.modelId(), id));
		}
		return out;
	}
}
