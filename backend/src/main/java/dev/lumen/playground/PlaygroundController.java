package dev.lumen.playground;

import dev.lumen.catalog.CatalogModel;
import dev.lumen.catalog.CatalogModelRepository;
import dev.lumen.catalog.CatalogSae;
import dev.lumen.catalog.CatalogSaeRepository;
import dev.lumen.system.AnonymousForms;
import jakarta.servlet.http.HttpServletResponse;
import java.security.Principal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.WebDataBinder;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.InitBinder;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The steering playground: {@code GET /playground} shows the form (prefilled from a feature page's link),
 * {@code POST /playground} runs it as a plain form (no JavaScript needed; its other submit buttons add a
 * conversation turn, search features or add a found feature), {@code POST /playground/stream} streams both
 * completions token by token as server-sent events for {@code playground.js}, and {@code GET /playground/features}
 * is the feature search's htmx fragment.
 */
@Controller
class PlaygroundController {

	static final String VIEW_PLAYGROUND = "playground/playground";

	static final String VIEW_RUN = "playground/run";

	static final String FRAGMENT_FEATURE_RESULTS = "playground/playground :: featureResults";

	private final SteeringService steering;

	private final CatalogModelRepository models;

	private final CatalogSaeRepository saes;

	private final PlaygroundRuns runs;

	private final SteerEventStream events;

	private final FeatureFinder finder;

	private final SteeringSweep sweeps;

	private final GenerationSlots slots;

	PlaygroundController(SteeringService steering, CatalogModelRepository models, CatalogSaeRepository saes,
			PlaygroundRuns runs, SteerEventStream events, FeatureFinder finder, SteeringSweep sweeps, GenerationSlots slots) {
		this.steering = steering;
		this.sweeps = sweeps;
		this.slots = slots;
		this.runs = runs;
		this.models = models;
		this.saes = saes;
		this.events = events;
		this.finder = finder;
	}

	/** Anonymous users post the playground's forms too: its pages carry the CSRF token (and so open a session). */
	@ModelAttribute(AnonymousForms.MODEL_ATTRIBUTE)
	boolean postsForms() {
		return true;
	}

	@InitBinder
	void initBinder(WebDataBinder binder) {
		binder.registerCustomEditor(List.class, "turnContent", new RepeatedTextEditor());
	}

	@GetMapping("/playground")
	String page(@RequestParam(required = false) String model, @RequestParam(required = false) String sae,
			@RequestParam(required = false) Integer feature, Model view) {
		PlaygroundForm form = new PlaygroundForm();
		if (model != null && sae != null) {
			form.setTarget(model + "/" + sae);
		}
		if (feature != null) {
			form.setFeatureIndex(new ArrayList<>(List.of(Integer.toString(feature))));
			form.setFeatureValue(new ArrayList<>(List.of(PlaygroundForm.DEFAULT_MULTIPLE)));
		}
		return show(form, null, null, view);
	}

	@PostMapping("/playground")
	String run(@ModelAttribute PlaygroundForm form, Model view, HttpServletResponse response) {
		return guarded(form, view, response, request -> show(form, this.steering.steer(request), null, view));
	}

	/** The sweep button without JavaScript: every strength of {@link SteeringSweep#FACTORS}, side by side. */
	@PostMapping(path = "/playground", params = "sweep")
	String sweep(@ModelAttribute PlaygroundForm form, Model view, HttpServletResponse response) {
		return guarded(form, view, response, request -> {
			view.addAttribute("sweep", SweepView.of(this.sweeps.sweep(request)));
			return show(form, null, null, view);
		});
	}

	/**
	 * The sweep streamed as server-sent events, one column as each strength finishes (see
	 * {@link SteerEventStream#startSweep}); a bad form answers 400 and a busy server 429 before the stream starts.
	 */
	@PostMapping(path = "/playground/sweep/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	ResponseEntity<SseEmitter> sweepStream(@ModelAttribute PlaygroundForm form) {
		List<SteeringPlan> plans;
		try {
			plans = this.sweeps.plans(request(form));
		}
		catch (PlaygroundException ex) {
			return ResponseEntity.badRequest().body(SteerEventStream.problemOnly(ex.getMessage(), 400));
		}
		try {
			return ResponseEntity.ok(this.events.startSweep(plans, this.slots.enter()));
		}
		catch (PlaygroundBusyException ex) {
			return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
				.header("Retry-After", Integer.toString(ex.retryAfterSeconds()))
				.body(SteerEventStream.problemOnly(ex.getMessage(), 429));
		}
	}

	/** Runs {@code action} on the form's request; a bad form re-renders with 400, a busy server with 429. */
	private String guarded(PlaygroundForm form, Model view, HttpServletResponse response,
			java.util.function.Function<SteerRequest, String> action) {
		try {
			return action.apply(request(form));
		}
		catch (PlaygroundException ex) {
			response.setStatus(400);
			return show(form, null, ex.getMessage(), view);
		}
		catch (PlaygroundBusyException ex) {
			response.setStatus(429);
			response.setHeader("Retry-After", Integer.toString(ex.retryAfterSeconds()));
			return show(form, null, ex.getMessage(), view);
		}
	}

	/** The "add turn" button without JavaScript: the same form with one more empty turn. */
	@PostMapping(path = "/playground", params = "addTurn")
	String addTurn(@ModelAttribute PlaygroundForm form, Model view) {
		form.addTurn();
		return show(form, null, null, view);
	}

	/** The feature search without JavaScript: the same form with the matches listed under the search box. */
	@PostMapping(path = "/playground", params = "findFeatures")
	String searchFeatures(@ModelAttribute PlaygroundForm form, Model view) {
		return show(form, this.finder.find(form.getTarget(), form.getFeatureQuery()), null, null, view);
	}

	/** A found feature's "add" button without JavaScript: the same form with the feature in a row. */
	@PostMapping(path = "/playground", params = "addFeature")
	String addFeature(@ModelAttribute PlaygroundForm form, @RequestParam String addFeature, Model view,
			HttpServletResponse response) {
		int index;
		try {
			index = Integer.parseInt(addFeature.strip());
		}
		catch (NumberFormatException ex) {
			index = -1;
		}
		int feature = index;
		return this.finder.feature(form.getTarget(), feature).map(found -> {
			form.addFeature(feature, found.hasMaxActivation());
			return show(form, null, null, view);
		}).orElseGet(() -> {
			response.setStatus(400);
			return show(form, null, "feature '" + addFeature + "' is not in SAE '" + form.getTarget() + "'", view);
		});
	}

	/** The feature search's results for htmx (label words or an index, in the chosen SAE). */
	@GetMapping("/playground/features")
	String searchFeaturesFragment(@RequestParam(required = false) String target,
			@RequestParam(required = false) String featureQuery, Model view) {
		view.addAttribute("found", this.finder.find(target, featureQuery));
		return FRAGMENT_FEATURE_RESULTS;
	}

	/** Runs the form's settings on the server and saves settings and outputs under a new permalink. */
	@PostMapping("/playground/runs")
	String save(@ModelAttribute PlaygroundForm form, Principal user, Model view, HttpServletResponse response) {
		return guarded(form, view, response, request -> {
			SteerResult result = this.steering.steer(request);
			return "redirect:/playground/runs/" + this.runs.save(request, result, user == null ? null : user.getName());
		});
	}

	/** A saved run: its settings, both outputs, and a form that reruns it. */
	@GetMapping("/playground/runs/{id}")
	String saved(@PathVariable String id, Model view) {
		PlaygroundRuns.SavedRun run = this.runs.find(id)
			.orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No saved playground run " + id));
		view.addAttribute("run", run);
		PlaygroundForm form = PlaygroundForm.of(run.request());
		view.addAttribute("form", form);
		view.addAttribute("rows", form.rows(0));
		SteerResult result = run.result();
		view.addAttribute("features", this.finder.labelled(result.model(), result.features()));
		view.addAttribute("plainTokens", TokenHover.plain(result.defaultCompletion(), result.steeredCompletion()));
		view.addAttribute("steeredTokens",
				TokenHover.steered(result.features(), result.steeredCompletion(), result.defaultCompletion()));
		int diverged = TokenHover.firstDifference(result.defaultCompletion(), result.steeredCompletion());
		view.addAttribute("divergedAt", diverged == Integer.MAX_VALUE ? null : diverged);
		return VIEW_RUN;
	}

	/** The form's settings streamed as server-sent events (see {@link SteerEventStream} for the events). */
	@PostMapping(path = "/playground/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	SseEmitter stream(@ModelAttribute PlaygroundForm form) {
		SteeringPlan plan;
		try {
			plan = this.steering.plan(request(form));
		}
		catch (PlaygroundException ex) {
			return SteerEventStream.problemOnly(ex.getMessage(), 400);
		}
		return this.events.start(plan, null);
	}

	/** The form as a request: a conversation when the chosen model has a chat template, else the prompt. */
	private SteerRequest request(PlaygroundForm form) {
		return form.toRequest(this.steering.hasChatTemplate(form.modelName()));
	}

	private String show(PlaygroundForm form, SteerResult result, String error, Model view) {
		return show(form, FeatureFinder.Results.none(), result, error, view);
	}

	private String show(PlaygroundForm form, FeatureFinder.Results found, SteerResult result, String error, Model view) {
		Map<String, Boolean> targets = new LinkedHashMap<>(); // model/sae -> whether the model has a chat template
		for (CatalogModel m : this.models.findAllByOrderByName()) {
			boolean chat = this.steering.hasChatTemplate(m.getName());
			for (CatalogSae s : this.saes.findByModelInDisplayOrder(m.getId())) {
				targets.put(m.getName() + "/" + s.getName(), chat);
			}
		}
		if (!targets.containsKey(form.getTarget()) && !targets.isEmpty()) {
			form.setTarget(targets.keySet().iterator().next()); // what the select shows first
		}
		view.addAttribute("form", form);
		view.addAttribute("rows", form.rows(3));
		view.addAttribute("targets", targets);
		view.addAttribute("chat", targets.getOrDefault(form.getTarget(), false));
		view.addAttribute("found", found);
		view.addAttribute("result", result);
		view.addAttribute("steeredTokens", result == null ? List.of()
				: TokenHover.steered(result.features(), result.steeredCompletion(), result.defaultCompletion()));
		view.addAttribute("error", error);
		view.addAttribute("maxTokens", this.steering.maxTokens());
		return VIEW_PLAYGROUND;
	}
}
