package dev.lumen.playground;

import dev.lumen.catalog.CatalogModel;
import dev.lumen.catalog.CatalogModelRepository;
import dev.lumen.catalog.CatalogSae;
import dev.lumen.catalog.CatalogSaeRepository;
import dev.lumen.catalog.LeasedCache;
import dev.lumen.catalog.LoadedModels;
import dev.lumen.catalog.SourceUnavailableException;
import dev.lumen.engine.generate.CancellationSignal;
import dev.lumen.engine.generate.GenerationOptions;
import dev.lumen.engine.generate.GenerationResult;
import dev.lumen.engine.generate.Generator;
import dev.lumen.engine.model.HookSpec;
import dev.lumen.engine.model.LanguageModel;
import dev.lumen.engine.sae.Sae;
import dev.lumen.playground.FeatureIntervention.Mode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * Checks a steering request against the catalog and the limits, then generates the default and the steered
 * completion of the same prompt with the same seed, token by token in turn inside one generation slot.
 */
@Service
public class SteeringService {

	/** Receives tokens as they are generated. */
	public interface TokenSink {

		/**
		 * @param steered false for the default completion, true for the steered one
		 * @param tokenId the generated token
		 * @param text the text it completes
		 */
		void onToken(boolean steered, int tokenId, String text);
	}

	/**
	 * A request checked and resolved against the catalog, ready to run.
	 * @param promptText the prompt as the model sees it (a conversation rendered with the chat template)
	 * @param promptIds its tokens, fed to the generator
	 */
	public record Plan(SteerRequest request, CatalogModel model, Map<CatalogSae, List<FeatureIntervention>> bySae,
			List<SteerResult.AppliedFeature> applied, String promptText, int[] promptIds, GenerationOptions options,
			SteeringPositions positions) {
	}

	private final CatalogModelRepository models;

	private final CatalogSaeRepository saes;

	private final JdbcTemplate jdbc;

	private final LoadedModels loaded;

	private final GenerationSlots slots;

	private final PromptRenderer prompts;

	private final int maxTokens;

	private final int maxFeatures;

	public SteeringService(CatalogModelRepository models, CatalogSaeRepository saes, JdbcTemplate jdbc, LoadedModels loaded,
			GenerationSlots slots, PromptRenderer prompts,
			@Value("${lumen.playground.max-tokens:200}") int maxTokens,
			@Value("${lumen.playground.max-features:8}") int maxFeatures) {
		this.models = models;
		this.saes = saes;
		this.jdbc = jdbc;
		this.loaded = loaded;
		this.slots = slots;
		this.prompts = prompts;
		this.maxTokens = maxTokens;
		this.maxFeatures = maxFeatures;
	}

	/** @return the largest max_tokens a request may ask for */
	public int maxTokens() {
		return this.maxTokens;
	}

	/** @return the most features one request may steer */
	public int maxFeatures() {
		return this.maxFeatures;
	}

	/**
	 * @return whether the catalog model has a chat template (so the form shows a conversation editor); false for an
	 *         unknown model
	 */
	public boolean hasChatTemplate(String modelName) {
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
	public Plan plan(SteerRequest request) {
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
		return new Plan(request, model, bySae, applied, prompt.text(), prompt.ids(), options, positions);
	}

	/**
	 * Runs a plan in a generation slot: the default and the steered completion in turn, with the same seed.
	 * @throws PlaygroundBusyException when no slot is free
	 */
	public SteerResult run(Plan plan, TokenSink sink, CancellationSignal cancel) {
		return run(plan, this.slots.enter(), sink, cancel);
	}

	/**
	 * Runs a plan in a slot the caller already holds (e.g. taken on the request thread, so that a busy server
	 * answers 429 before a stream starts); the slot is closed when the generation ends.
	 */
	public SteerResult run(Plan plan, GenerationSlots.Slot slot, TokenSink sink, CancellationSignal cancel) {
		// the model and SAEs stay leased until the generation ends: the cache cannot close them under it
		List<LeasedCache.Lease<Sae>> saeLeases = new ArrayList<>();
		try (slot; LeasedCache.Lease<LanguageModel> model = leaseModel(plan.model().getSource())) {
			LanguageModel lm = model.get();
			Generator generator = new Generator(lm);
			List<SteeringHook> steeringHooks = new ArrayList<>();
			plan.bySae().forEach((sae, changes) -> {
				LeasedCache.Lease<Sae> lease = leaseSae(sae.getSource());
				saeLeases.add(lease);
				steeringHooks.add(new SteeringHook(lease.get(), changes, plan.positions()));
			});
			// the SAEs read the activations they were trained on (TransformerLens processing), then steer
			List<HookSpec> hooks;
			try {
				hooks = new ArrayList<>(dev.lumen.engine.model.TransformerLensProcessing.hooksFor(lm,
						saeLeases.stream().map(l -> l.get().config().modelProcessing()).toList()));
			}
			catch (IllegalArgumentException ex) {
				throw new PlaygroundException(ex.getMessage()); // SAEs that need differently processed activations
			}
			steeringHooks.forEach(h -> hooks.add(h.spec()));
			List<String> plainTexts = new ArrayList<>();
			List<String> steeredTexts = new ArrayList<>();
			GenerationResult plain;
			GenerationResult steered;
			// both completions advance in turn, one token each, so both columns stream from the start; each has
			// its own sampler with the same seed, so the outputs equal two separate runs
			try (Generator.Generation a = generator.start(plan.promptIds(), plan.options(), List.of(), (id, text) -> {
				plainTexts.add(text);
				sink.onToken(false, id, text);
			}, cancel); Generator.Generation b = generator.start(plan.promptIds(), plan.options(), hooks, (id, text) -> {
				steeredTexts.add(text);
				sink.onToken(true, id, text);
			}, cancel)) {
				boolean plainRunning = true;
				boolean steeredRunning = true;
				while (plainRunning || steeredRunning) {
					plainRunning = plainRunning && a.advance();
					steeredRunning = steeredRunning && b.advance();
				}
				plain = a.result();
				steered = b.result();
			}
			return new SteerResult(plan.model().getName(), plan.promptText(), completion(plain, plainTexts, null),
					completion(steered, steeredTexts, activations(plan, steeringHooks, steered.tokens().length)), plan.applied());
		}
		finally {
			saeLeases.forEach(LeasedCache.Lease::close);
		}
	}

	private LeasedCache.Lease<LanguageModel> leaseModel(String source) {
		try {
			return this.loaded.model(source);
		}
		catch (SourceUnavailableException ex) {
			throw new PlaygroundException(ex.getMessage() + ", so it cannot be steered here");
		}
	}

	private LeasedCache.Lease<Sae> leaseSae(String source) {
		try {
			return this.loaded.sae(source);
		}
		catch (SourceUnavailableException ex) {
			throw new PlaygroundException(ex.getMessage() + ", so it cannot be steered here");
		}
	}

	/** Plans and runs without streaming or cancellation. */
	public SteerResult steer(SteerRequest request) {
		return run(plan(request), (steered, id, text) -> {
		}, new CancellationSignal());
	}

	private static SteerResult.Completion completion(GenerationResult result, List<String> texts,
			List<List<Float>> activations) {
		return new SteerResult.Completion(result.text(), Arrays.stream(result.tokens()).boxed().toList(), List.copyOf(texts),
				result.stopReason().name(), activations);
	}

	/** Per generated token, the applied features' activations there (in {@code plan.applied()} order). */
	private static List<List<Float>> activations(Plan plan, List<SteeringHook> hooks, int tokens) {
		Map<String, Float>[] byFeature = newMaps(tokens);
		int h = 0;
		for (Map.Entry<CatalogSae, List<FeatureIntervention>> entry : plan.bySae().entrySet()) {
			List<float[]> calls = hooks.get(h++).lastPositionActivations();
			for (int t = 0; t < tokens; t++) {
				if (t + 1 < calls.size()) {
					for (int k = 0; k < entry.getValue().size(); k++) {
						byFeature[t].put(entry.getKey().getName() + "#" + entry.getValue().get(k).feature(), calls.get(t + 1)[k]);
					}
				}
			}
		}
		List<List<Float>> out = new ArrayList<>();
		for (int t = 0; t < tokens; t++) {
			if (byFeature[t].isEmpty()) {
				out.add(null);
				continue;
			}
			List<Float> row = new ArrayList<>();
			for (SteerResult.AppliedFeature f : plan.applied()) {
				row.add(byFeature[t].get(f.sae() + "#" + f.index()));
			}
			out.add(row);
		}
		return out;
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Float>[] newMaps(int n) {
		Map<String, Float>[] maps = new Map[n];
		for (int i = 0; i < n; i++) {
			maps[i] = new LinkedHashMap<>();
		}
		return maps;
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
