package dev.lumen.playground;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.lumen.catalog.LeasedCache;
import dev.lumen.engine.generate.CancellationSignal;
import dev.lumen.engine.generate.GenerationResult;
import dev.lumen.engine.generate.Generator;
import dev.lumen.engine.model.HookSpec;
import dev.lumen.engine.model.LanguageModel;
import dev.lumen.engine.sae.Sae;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Service;

/**
 * A strength sweep: the same prompt, seed and features generated at several strengths, next to the default
 * completion. A feature given as a multiple of its max activation is clamped to each factor × its max activation
 * (what the strength slider sets); a value given as an absolute activation or an α is multiplied by the factor.
 * All completions run one after the other in one generation slot, so a sweep costs one slot for
 * {@code FACTORS.size() + 1} generations.
 */
@Service
public class SteeringSweep {

	/** The strengths of a sweep, as multiples of max activation: 0× ablates the features, 4× overdrives them. */
	public static final List<Float> FACTORS = List.of(0f, 0.5f, 1f, 2f, 4f);

	/** Receives each completion as it finishes. */
	public interface ColumnSink {

		/** The default (unsteered) completion, which comes first. */
		void onDefault(SteerResult.Completion completion);

		/** One strength's completion. */
		void onColumn(Column column);
	}

	/**
	 * One strength of a sweep.
	 * @param factor the strength (see the class comment)
	 * @param features what was applied at this strength
	 * @param completion the steered completion, with the features' activations per token
	 */
	public record Column(float factor, List<SteerResult.AppliedFeature> features, SteerResult.Completion completion) {
	}

	/**
	 * @param model the model's catalog name
	 * @param prompt the prompt as the model saw it
	 * @param defaultCompletion without steering
	 * @param columns one per factor, in the order of {@link #FACTORS}
	 */
	public record Result(String model, String prompt, @JsonProperty("default") SteerResult.Completion defaultCompletion,
			List<Column> columns) {
	}

	private final SteeringService steering;

	private final GenerationSlots slots;

	public SteeringSweep(SteeringService steering, GenerationSlots slots) {
		this.steering = steering;
		this.slots = slots;
	}

	/**
	 * Checks the request and plans one run per factor.
	 * @throws PlaygroundException naming the first problem
	 */
	public List<SteeringPlan> plans(SteerRequest request) {
		this.steering.plan(request); // problems are reported once, for the request as given
		List<SteeringPlan> plans = new ArrayList<>();
		for (float factor : FACTORS) {
			plans.add(this.steering.plan(scaled(request, factor)));
		}
		return plans;
	}

	/** Plans and runs a sweep in a new slot, without streaming. */
	public Result sweep(SteerRequest request) {
		List<SteeringPlan> plans = plans(request);
		return run(plans, this.slots.enter(), new ColumnSink() {
			@Override
			public void onDefault(SteerResult.Completion completion) {
			}

			@Override
			public void onColumn(Column column) {
			}
		}, new CancellationSignal());
	}

	/**
	 * Runs the default completion, then each factor's, in a slot the caller holds (closed at the end).
	 * @param plans one per factor, from {@link #plans}
	 */
	public Result run(List<SteeringPlan> plans, GenerationSlots.Slot slot, ColumnSink sink, CancellationSignal cancel) {
		SteeringPlan first = plans.get(0);
		try (slot; LeasedCache.Lease<LanguageModel> model = this.steering.leaseModel(first)) {
			Generator generator = new Generator(model.get());
			SteerResult.Completion plain = generate(generator, first, List.of(), List.of(), cancel);
			sink.onDefault(plain);
			List<Column> columns = new ArrayList<>();
			for (int k = 0; k < plans.size() && !cancel.isCancelled(); k++) {
				SteeringPlan plan = plans.get(k);
				List<LeasedCache.Lease<Sae>> leases = new ArrayList<>();
				try {
					List<SteeringHook> hooks = this.steering.hooks(plan, leases);
					Column column = new Column(FACTORS.get(k), plan.applied(), generate(generator, plan, hooks,
							this.steering.hookSpecs(model.get(), leases, hooks), cancel));
					columns.add(column);
					sink.onColumn(column);
				}
				finally {
					leases.forEach(LeasedCache.Lease::close);
				}
			}
			return new Result(first.model().getName(), first.promptText(), plain, columns);
		}
	}

	private static SteerResult.Completion generate(Generator generator, SteeringPlan plan, List<SteeringHook> steeringHooks,
			List<HookSpec> hooks, CancellationSignal cancel) {
		List<String> texts = new ArrayList<>();
		GenerationResult result = generator.generate(plan.promptIds(), plan.options(), hooks, (id, text) -> texts.add(text),
				cancel);
		return SteeringService.completion(result, texts,
				steeringHooks.isEmpty() ? null : SteeredActivations.of(plan, steeringHooks, result.tokens().length));
	}

	/** The request at one strength (see the class comment). */
	static SteerRequest scaled(SteerRequest request, float factor) {
		List<SteerRequest.Feature> features = new ArrayList<>();
		for (SteerRequest.Feature f : request.features() == null ? List.<SteerRequest.Feature>of() : request.features()) {
			if (f == null || f.value() == null) {
				features.add(f);
				continue;
			}
			boolean clamp = f.mode() == null || f.mode().equalsIgnoreCase("clamp");
			boolean multiple = f.unit() == null || f.unit().equalsIgnoreCase("multiple");
			float value = clamp && multiple ? factor : f.value() * factor;
			features.add(new SteerRequest.Feature(f.sae(), f.index(), f.mode(), value, f.unit()));
		}
		return new SteerRequest(request.prompt(), request.model(), features, request.temperature(), request.maxTokens(),
				request.seed(), request.topP(), request.positions(), request.messages());
	}
}
