package dev.lumen.playground;

import dev.lumen.catalog.CatalogModel;
import dev.lumen.catalog.CatalogModelRepository;
import dev.lumen.catalog.CatalogSae;
import dev.lumen.catalog.CatalogSaeRepository;
import dev.lumen.catalog.LeasedCache;
import dev.lumen.catalog.LoadedModels;
import dev.lumen.catalog.SourceUnavailableException;
import dev.lumen.engine.generate.GenerationOptions;
import dev.lumen.engine.model.LanguageModel;
import dev.lumen.engine.sae.Sae;
import dev.lumen.playground.FeatureIntervention.Mode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Checks a steering request against the catalog and the limits and resolves it into a {@link SteeringPlan}: names
 * to catalog rows, strengths given as multiples of max activation to absolute activations, the prompt to tokens.
 */
@Component
class SteeringPlanner {

	private final CatalogModelRepository models;

	private final CatalogSaeRepository saes;

	private final JdbcTemplate jdbc;

	private final LoadedModels loaded;

	private final PromptRenderer prompts;

	private final int maxTokens;

	private final int maxFeatures;

	SteeringPlanner(CatalogModelRepository models, CatalogSaeRepository saes, JdbcTemplate jdbc, LoadedModels loaded,
			PromptRenderer prompts, @Value("${lumen.playground.max-tokens:200}") int maxTokens,
			@Value("${lumen.playground.max-features:8}") int maxFeatures) {
		this.models = models;
		this.saes = saes;
		this.jdbc = jdbc;
		this.loaded = loaded;
		this.prompts = prompts;
		this.maxTokens = maxTokens;
		this.maxFeatures = maxFeatures;
	}

	int maxTokens() {
		return this.maxTokens;
	}

	int maxFeatures() {
		return this.maxFeatures;
	}

	boolean hasChatTemplate(String modelName) {
		try {
			return modelName != null && this.models.findByName(modelName)
				.map(m -> this.prompts.chatTemplate(m).isPresent())
				.orElse(false);
		}
		catch (PlaygroundException ex) {
			return false; // an unreadable tokenizer_config.json: running the form reports it
		}
	}

	/**
	 * Checks the request and resolves names, units and tokens; loads the model and SAEs (cached).
	 * @throws PlaygroundException naming the first problem
	 */
	public SteeringPlan plan(SteerRequest request) {
		if (request == null) {
			throw new PlaygroundException("the request body is missing");
		}
		this.prompts.check(request);
		int newTokens = request.maxTokens() == null ? 40 : request.maxTokens();
		if (newTokens < 1 || newTokens > this.maxTokens) {
			throw new PlaygroundException("max_tokens must be between 1 and " + this.maxTokens + ", got " + newTokens);
		}
		float temperature = request.temperature() == null ? 0.8f : request.temperature();
		if (!(temperature >= 0 && temperature <= 2)) {
			throw new PlaygroundException("temperature must be between 0 and 2, got " + request.temperature());
		}
		float topP = request.topP() == null ? 0.9f : request.topP();
		if (!(topP > 0 && topP <= 1)) {
			throw new PlaygroundException("top_p must be greater than 0 and at most 1, got " + request.topP());
		}
		long seed = request.seed() == null ? 42 : request.seed();
		SteeringPositions positions = positions(request.positions());
		List<SteerRequest.Feature> features = request.features() == null ? List.of() : request.features();
		if (features.isEmpty()) {
			throw new PlaygroundException("no features to steer: add at least one {sae, index, mode, value}");
		}
		if (features.size() > this.maxFeatures) {
			throw new PlaygroundException(features.size() + " features given; at most " + this.maxFeatures
					+ " may be steered at once");
		}
		if (request.model() == null || request.model().isBlank()) {
			throw new PlaygroundException("model is required");
		}
		CatalogModel model = this.models.findByName(request.model())
			.orElseThrow(() -> new PlaygroundException("unknown model '" + request.model() + "'"));
		Map<String, CatalogSae> saeByName = new LinkedHashMap<>();
		Map<CatalogSae, List<FeatureIntervention>> bySae = new LinkedHashMap<>();
		List<SteerResult.AppliedFeature> applied = new ArrayList<>();
		for (SteerRequest.Feature feature : features) {
			resolve(feature, model, saeByName, bySae, applied);
		}
		PromptRenderer.Rendered prompt;
		try (LeasedCache.Lease<LanguageModel> lease = leaseModel(model.getSource())) {
			LanguageModel lm = lease.get();
			for (CatalogSae sae : bySae.keySet()) {
				try (LeasedCache.Lease<Sae> saeLease = leaseSae(sae.getSource())) {
					Sae loadedSae = saeLease.get();
					if (loadedSae.config().dIn() != lm.config().dModel()) {
						throw new PlaygroundException("SAE '" + sae.getName() + "' reads " + loadedSae.config().dIn()
								+ "-dimensional activations but the model's are " + lm.config().dModel());
					}
				}
			}
			prompt = this.prompts.render(request, model, lm);
		}
		GenerationOptions options = temperature == 0 ? GenerationOptions.greedy(newTokens)
				: GenerationOptions.sampling(newTokens, temperature, topP, seed);
		return new SteeringPlan(request, model, bySae, applied, prompt.text(), prompt.ids(), options, positions);
	}

	/** Resolves one requested feature into its SAE's interventions and the applied list. */
	private void resolve(SteerRequest.Feature feature, CatalogModel model, Map<String, CatalogSae> saeByName,
			Map<CatalogSae, List<FeatureIntervention>> bySae, List<SteerResult.AppliedFeature> applied) {
		if (feature == null || feature.sae() == null || feature.index() == null || feature.value() == null) {
			throw new PlaygroundException("each feature needs sae, index and value");
		}
		CatalogSae sae = saeByName.computeIfAbsent(feature.sae(), name -> this.saes
			.findByModelNameAndName(model.getName(), name)
			.orElseThrow(() -> new PlaygroundException("unknown SAE '" + name + "' on model '" + model.getName() + "'")));
		int index = feature.index();
		if (index < 0 || index >= sae.getDSae()) {
			throw new PlaygroundException("unknown feature " + index + " of SAE '" + sae.getName() + "': it has features 0 to "
					+ (sae.getDSae() - 1));
		}
		Mode mode = mode(feature.mode());
		String unit = mode == Mode.ADD ? "absolute" : unit(feature.unit());
		float value = feature.value();
		if (!Float.isFinite(value) || Math.abs(value) > 1e4f) {
			throw new PlaygroundException("value of feature " + index + " must be a finite number of at most 10000 in size");
		}
		Float max = maxActivation(sae, index);
		float absolute = value;
		if (unit.equals("multiple")) {
			if (max == null) {
				throw new PlaygroundException("feature " + index + " of SAE '" + sae.getName()
						+ "' has no recorded max activation (run extraction first), so give the value with unit 'absolute'");
			}
			absolute = value * max;
		}
		List<FeatureIntervention> list = bySae.computeIfAbsent(sae, s -> new ArrayList<>());
		if (list.stream().anyMatch(i -> i.feature() == index)) {
			throw new PlaygroundException("feature " + index + " of SAE '" + sae.getName() + "' is given twice");
		}
		list.add(new FeatureIntervention(index, mode, absolute));
		applied.add(new SteerResult.AppliedFeature(sae.getName(), index, mode.name().toLowerCase(Locale.ROOT), value, unit,
				absolute, max));
	}

	LeasedCache.Lease<LanguageModel> leaseModel(String source) {
		try {
			return this.loaded.model(source);
		}
		catch (SourceUnavailableException ex) {
			throw new PlaygroundException(ex.getMessage() + ", so it cannot be steered here");
		}
	}

	LeasedCache.Lease<Sae> leaseSae(String source) {
		try {
			return this.loaded.sae(source);
		}
		catch (SourceUnavailableException ex) {
			throw new PlaygroundException(ex.getMessage() + ", so it cannot be steered here");
		}
	}

	private Float maxActivation(CatalogSae sae, int index) {
		List<Float> rows = this.jdbc.query("SELECT max_activation FROM feature WHERE sae_id = ? AND feature_index = ?",
				(rs, n) -> {
					float v = rs.getFloat(1);
					return rs.wasNull() ? null : v;
				}, sae.getId(), index);
		Float max = rows.isEmpty() ? null : rows.get(0);
		return max == null || !(max > 0) ? null : max;
	}

	private static Mode mode(String mode) {
		if (mode == null || mode.equalsIgnoreCase("clamp")) {
			return Mode.CLAMP;
		}
		if (mode.equalsIgnoreCase("add")) {
			return Mode.ADD;
		}
		throw new PlaygroundException("mode must be 'clamp' or 'add', got '" + mode + "'");
	}

	private static String unit(String unit) {
		if (unit == null || unit.equalsIgnoreCase("multiple")) {
			return "multiple";
		}
		if (unit.equalsIgnoreCase("absolute")) {
			return "absolute";
		}
		throw new PlaygroundException("unit must be 'multiple' or 'absolute', got '" + unit + "'");
	}

	private static SteeringPositions positions(String positions) {
		if (positions == null || positions.equalsIgnoreCase("all")) {
			return SteeringPositions.ALL;
		}
		if (positions.equalsIgnoreCase("generated")) {
			return SteeringPositions.GENERATED;
		}
		throw new PlaygroundException("positions must be 'all' or 'generated', got '" + positions + "'");
	}
}
