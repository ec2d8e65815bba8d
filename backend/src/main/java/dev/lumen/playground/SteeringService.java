package dev.lumen.playground;

import dev.lumen.catalog.LeasedCache;
import dev.lumen.engine.generate.CancellationSignal;
import dev.lumen.engine.generate.GenerationResult;
import dev.lumen.engine.generate.Generator;
import dev.lumen.engine.model.HookSpec;
import dev.lumen.engine.model.TransformerLensProcessing;
import dev.lumen.engine.model.LanguageModel;
import dev.lumen.engine.sae.Sae;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.springframework.stereotype.Service;

/**
 * Generates the default and the steered completion of the same prompt with the same seed, token by token in turn
 * inside one generation slot; {@link SteeringPlanner} checks and resolves the request first.
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

	private final SteeringPlanner planner;

	private final GenerationSlots slots;

	SteeringService(SteeringPlanner planner, GenerationSlots slots) {
		this.planner = planner;
		this.slots = slots;
	}

	/** @return the largest max_tokens a request may ask for */
	public int maxTokens() {
		return this.planner.maxTokens();
	}

	/** @return the most features one request may steer */
	public int maxFeatures() {
		return this.planner.maxFeatures();
	}

	/**
	 * @return whether the catalog model has a chat template (so the form shows a conversation editor); false for an
	 *         unknown model
	 */
	public boolean hasChatTemplate(String modelName) {
		return this.planner.hasChatTemplate(modelName);
	}

	/**
	 * Checks the request and resolves names, units and tokens; loads the model and SAEs (cached).
	 * @throws PlaygroundException naming the first problem
	 */
	public SteeringPlan plan(SteerRequest request) {
		return this.planner.plan(request);
	}

	/**
	 * Runs a plan in a generation slot: the default and the steered completion in turn, with the same seed.
	 * @throws PlaygroundBusyException when no slot is free
	 */
	public SteerResult run(SteeringPlan plan, TokenSink sink, CancellationSignal cancel) {
		return run(plan, this.slots.enter(), sink, cancel);
	}

	/**
	 * Runs a plan in a slot the caller already holds (e.g. taken on the request thread, so that a busy server
	 * answers 429 before a stream starts); the slot is closed when the generation ends.
	 */
	public SteerResult run(SteeringPlan plan, GenerationSlots.Slot slot, TokenSink sink, CancellationSignal cancel) {
		// the model and SAEs stay leased until the generation ends: the cache cannot close them under it
		List<LeasedCache.Lease<Sae>> saeLeases = new ArrayList<>();
		try (slot; LeasedCache.Lease<LanguageModel> model = this.planner.leaseModel(plan.model().getSource())) {
			Generator generator = new Generator(model.get());
			List<SteeringHook> steeringHooks = hooks(plan, saeLeases);
			List<HookSpec> hooks = hookSpecs(model.get(), saeLeases, steeringHooks);
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
					completion(steered, steeredTexts, SteeredActivations.of(plan, steeringHooks, steered.tokens().length)),
					plan.applied());
		}
		finally {
			saeLeases.forEach(LeasedCache.Lease::close);
		}
	}

	/** Plans and runs without streaming or cancellation. */
	public SteerResult steer(SteerRequest request) {
		return run(plan(request), (steered, id, text) -> {
		}, new CancellationSignal());
	}

	/**
	 * One steering hook per SAE of the plan; the SAE leases go into {@code leases}, which the caller closes when
	 * the generation ends.
	 */
	List<SteeringHook> hooks(SteeringPlan plan, List<LeasedCache.Lease<Sae>> leases) {
		List<SteeringHook> hooks = new ArrayList<>();
		plan.bySae().forEach((sae, changes) -> {
			LeasedCache.Lease<Sae> lease = this.planner.leaseSae(sae.getSource());
			leases.add(lease);
			hooks.add(new SteeringHook(lease.get(), changes, plan.positions()));
		});
		return hooks;
	}

	/**
	 * The hooks of a steered run: first the TransformerLens processing the SAEs were trained under (so they read
	 * the activations they know), then the steering.
	 * @throws PlaygroundException for SAEs that need differently processed activations in one run
	 */
	List<HookSpec> hookSpecs(LanguageModel model, List<LeasedCache.Lease<Sae>> leases, List<SteeringHook> steering) {
		List<HookSpec> hooks;
		try {
			hooks = new ArrayList<>(TransformerLensProcessing.hooksFor(model,
					leases.stream().map(l -> l.get().config().modelProcessing()).toList()));
		}
		catch (IllegalArgumentException ex) {
			throw new PlaygroundException(ex.getMessage());
		}
		steering.forEach(h -> hooks.add(h.spec()));
		return hooks;
	}

	/** Leases the plan's model for a run. */
	LeasedCache.Lease<LanguageModel> leaseModel(SteeringPlan plan) {
		return this.planner.leaseModel(plan.model().getSource());
	}

	static SteerResult.Completion completion(GenerationResult result, List<String> texts, List<List<Float>> activations) {
		return new SteerResult.Completion(result.text(), Arrays.stream(result.tokens()).boxed().toList(), List.copyOf(texts),
				result.stopReason().name(), activations);
	}
}
