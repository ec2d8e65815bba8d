package dev.lumen.playground;

import dev.lumen.catalog.CatalogModel;
import dev.lumen.catalog.CatalogModelRepository;
import dev.lumen.catalog.CatalogSae;
import dev.lumen.catalog.CatalogSaeRepository;
import dev.lumen.engine.generate.CancellationSignal;
import jakarta.annotation.PreDestroy;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.Principal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The steering playground: {@code GET /playground} shows the form (prefilled from a feature page's link),
 * {@code POST /playground} runs it as a plain form (no JavaScript needed), and {@code POST /playground/stream}
 * streams both completions token by token as server-sent events for {@code playground.js}.
 */
@Controller
class PlaygroundController {

	private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(PlaygroundController.class);

	private final SteeringService steering;

	private final CatalogModelRepository models;

	private final CatalogSaeRepository saes;

	private final PlaygroundRuns runs;

	// generation runs off the request thread while the emitter streams; the slots bound how many actually run
	private final ExecutorService streams = Executors.newCachedThreadPool(r -> {
		Thread t = new Thread(r, "playground-stream");
		t.setDaemon(true);
		return t;
	});

	PlaygroundController(SteeringService steering, CatalogModelRepository models, CatalogSaeRepository saes,
			PlaygroundRuns runs) {
		this.steering = steering;
		this.runs = runs;
		this.models = models;
		this.saes = saes;
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
			form.setFeatureValue(new ArrayList<>(List.of("5")));
		}
		return show(form, null, null, view);
	}

	@PostMapping("/playground")
	String run(@ModelAttribute PlaygroundForm form, Model view, HttpServletResponse response) {
		try {
			return show(form, this.steering.steer(form.toRequest()), null, view);
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

	/** Runs the form's settings on the server and saves settings and outputs under a new permalink. */
	@PostMapping("/playground/runs")
	String save(@ModelAttribute PlaygroundForm form, Principal user, Model view, HttpServletResponse response) {
		try {
			SteerRequest request = form.toRequest();
			SteerResult result = this.steering.steer(request);
			String id = this.runs.save(request, result, user == null ? null : user.getName());
			return "redirect:/playground/runs/" + id;
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

	/** A saved run: its settings, both outputs, and a form that reruns it. */
	@GetMapping("/playground/runs/{id}")
	String saved(@PathVariable String id, Model view) {
		PlaygroundRuns.SavedRun run = this.runs.find(id)
			.orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No saved playground run " + id));
		view.addAttribute("run", run);
		PlaygroundForm form = PlaygroundForm.of(run.request());
		view.addAttribute("form", form);
		view.addAttribute("rows", form.rows(0));
		return "playground/run";
	}

	/**
	 * Events: {@code token} ({@code {"side": "default"|"steered", "id": n, "text": "..."}}), then {@code done} with the
	 * whole {@link SteerResult}, or {@code problem} with {@code {"error": "...", "status": 400|429|500}}. A client that
	 * disconnects (or presses stop) cancels the generation.
	 */
	@PostMapping(path = "/playground/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	SseEmitter stream(@ModelAttribute PlaygroundForm form) {
		SseEmitter emitter = new SseEmitter(10 * 60_000L);
		CancellationSignal cancel = new CancellationSignal();
		emitter.onCompletion(cancel::cancel);
		emitter.onTimeout(cancel::cancel);
		emitter.onError(e -> cancel.cancel());
		SteeringService.Plan plan;
		try {
			plan = this.steering.plan(form.toRequest());
		}
		catch (PlaygroundException ex) {
			problem(emitter, ex.getMessage(), 400);
			return emitter;
		}
		this.streams.submit(() -> {
			try {
				SteerResult result = this.steering.run(plan, (steered, id, text) -> {
					Map<String, Object> data = new LinkedHashMap<>();
					data.put("side", steered ? "steered" : "default");
					data.put("id", id);
					data.put("text", text);
					try {
						emitter.send(SseEmitter.event().name("token").data(data, MediaType.APPLICATION_JSON));
					}
					catch (IOException | IllegalStateException ex) {
						cancel.cancel(); // the client went away
					}
				}, cancel);
				if (cancel.isCancelled()) {
					log.info("playground stream cancelled by the client after {} default and {} steered tokens",
							result.defaultCompletion().tokens().size(), result.steeredCompletion().tokens().size());
					emitter.complete();
					return;
				}
				emitter.send(SseEmitter.event().name("done").data(result, MediaType.APPLICATION_JSON));
				emitter.complete();
			}
			catch (PlaygroundBusyException ex) {
				problem(emitter, ex.getMessage(), 429);
			}
			catch (PlaygroundException ex) {
				problem(emitter, ex.getMessage(), 400);
			}
			catch (IOException | IllegalStateException ex) {
				cancel.cancel();
			}
			catch (RuntimeException ex) {
				problem(emitter, "generation failed", 500);
			}
		});
		return emitter;
	}

	private static void problem(SseEmitter emitter, String message, int status) {
		try {
			emitter.send(SseEmitter.event().name("problem").data(Map.of("error", message, "status", status),
					MediaType.APPLICATION_JSON));
			emitter.complete();
		}
		catch (IOException | IllegalStateException ex) {
			emitter.completeWithError(ex);
		}
	}

	private String show(PlaygroundForm form, SteerResult result, String error, Model view) {
		List<String> targets = new ArrayList<>();
		for (CatalogModel m : this.models.findAllByOrderByName()) {
			for (CatalogSae s : this.saes.findByModelInDisplayOrder(m.getId())) {
				targets.add(m.getName() + "/" + s.getName());
			}
		}
		view.addAttribute("form", form);
		view.addAttribute("rows", form.rows(3));
		view.addAttribute("targets", targets);
		view.addAttribute("result", result);
		view.addAttribute("hover", result == null ? List.of() : TokenHover.titles(result));
		view.addAttribute("error", error);
		view.addAttribute("maxTokens", this.steering.maxTokens());
		return "playground/playground";
	}

	@PreDestroy
	void stop() {
		this.streams.shutdownNow();
	}
}
