package dev.lumen.playground;

import dev.lumen.engine.generate.CancellationSignal;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Streams a steering run as server-sent events, for the page ({@code /playground/stream}) and the JSON API
 * ({@code /api/steer/stream}) alike: {@code start} ({@code {"prompt": "...", "prompt_tokens": n}}), one {@code token}
 * per generated token ({@code {"side": "default"|"steered", "token": id, "text": "..."}}; default and steered
 * tokens alternate, as the two completions advance in turn), then {@code done} with the whole {@link SteerResult}, or {@code problem} with
 * {@code {"error": "...", "status": 400|429|500}}. A client that disconnects cancels the generation: the next write
 * fails and the {@link CancellationSignal} stops the generator, which frees the slot.
 */
@Component
class SteerEventStream {

	private static final Logger log = LoggerFactory.getLogger(SteerEventStream.class);

	private final SteeringService steering;

	// generation runs off the request thread while the emitter streams; the slots bound how many actually run
	private final ExecutorService streams = Executors.newCachedThreadPool(r -> {
		Thread t = new Thread(r, "playground-stream");
		t.setDaemon(true);
		return t;
	});

	private final SteeringSweep sweeps;

	SteerEventStream(SteeringService steering, SteeringSweep sweeps) {
		this.steering = steering;
		this.sweeps = sweeps;
	}

	/**
	 * Starts generating in the background and returns the stream.
	 * @param slot a generation slot the caller holds, or null to take one on the generation thread (then a busy
	 *        server is reported as a {@code problem} event with status 429)
	 */
	SseEmitter start(SteeringPlan plan, GenerationSlots.Slot slot) {
		SseEmitter emitter = new SseEmitter(10 * 60_000L);
		CancellationSignal cancel = new CancellationSignal();
		emitter.onCompletion(cancel::cancel);
		emitter.onTimeout(cancel::cancel);
		emitter.onError(e -> cancel.cancel());
		try {
			this.streams.submit(() -> generate(plan, slot, emitter, cancel));
		}
		catch (RejectedExecutionException ex) { // shutting down
			if (slot != null) {
				slot.close();
			}
			problem(emitter, "the server is shutting down", 503);
		}
		return emitter;
	}

	private void generate(SteeringPlan plan, GenerationSlots.Slot slot, SseEmitter emitter,
			CancellationSignal cancel) {
		try {
			Map<String, Object> start = new LinkedHashMap<>();
			start.put("prompt", plan.promptText());
			start.put("prompt_tokens", plan.promptIds().length);
			emitter.send(SseEmitter.event().name("start").data(start, MediaType.APPLICATION_JSON));
			SteeringService.TokenSink sink = (steered, id, text) -> token(emitter, cancel, steered, id, text);
			SteerResult result = slot == null ? this.steering.run(plan, sink, cancel)
					: this.steering.run(plan, slot, sink, cancel);
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
			cancel.cancel(); // the client went away before the first token
		}
		catch (RuntimeException ex) {
			log.warn("playground stream failed", ex);
			problem(emitter, "generation failed", 500);
		}
		finally {
			if (slot != null) {
				slot.close(); // already closed when the run ended; not when it never started
			}
		}
	}

	/**
	 * Streams a strength sweep: {@code start} ({@code {"prompt": "...", "factors": [...]}}), {@code default} with the
	 * default completion, one {@code column} per factor as it finishes ({@link SteeringSweep.Column}), then
	 * {@code done} with the whole {@link SteeringSweep.Result}, or {@code problem}.
	 * @param slot a generation slot the caller holds (taken on the request thread, so a busy server answers 429)
	 */
	SseEmitter startSweep(List<SteeringPlan> plans, GenerationSlots.Slot slot) {
		SseEmitter emitter = new SseEmitter(10 * 60_000L);
		CancellationSignal cancel = new CancellationSignal();
		emitter.onCompletion(cancel::cancel);
		emitter.onTimeout(cancel::cancel);
		emitter.onError(e -> cancel.cancel());
		try {
			this.streams.submit(() -> sweep(plans, slot, emitter, cancel));
		}
		catch (RejectedExecutionException ex) { // shutting down
			slot.close();
			problem(emitter, "the server is shutting down", 503);
		}
		return emitter;
	}

	private void sweep(List<SteeringPlan> plans, GenerationSlots.Slot slot, SseEmitter emitter, CancellationSignal cancel) {
		try {
			send(emitter, "start", Map.of("prompt", plans.get(0).promptText(), "factors", SteeringSweep.FACTORS));
			SteeringSweep.Result result = this.sweeps.run(plans, slot, new SteeringSweep.ColumnSink() {
				@Override
				public void onDefault(SteerResult.Completion completion) {
					sendOrCancel(emitter, cancel, "default", completion);
				}

				@Override
				public void onColumn(SteeringSweep.Column column) {
					sendOrCancel(emitter, cancel, "column", column);
				}
			}, cancel);
			if (!cancel.isCancelled()) {
				send(emitter, "done", result);
			}
			emitter.complete();
		}
		catch (PlaygroundException ex) {
			problem(emitter, ex.getMessage(), 400);
		}
		catch (IOException | IllegalStateException ex) {
			cancel.cancel(); // the client went away
		}
		catch (RuntimeException ex) {
			log.warn("playground sweep failed", ex);
			problem(emitter, "generation failed", 500);
		}
		finally {
			slot.close(); // already closed when the run ended; not when it never started
		}
	}

	private static void send(SseEmitter emitter, String event, Object data) throws IOException {
		emitter.send(SseEmitter.event().name(event).data(data, MediaType.APPLICATION_JSON));
	}

	private static void sendOrCancel(SseEmitter emitter, CancellationSignal cancel, String event, Object data) {
		try {
			send(emitter, event, data);
		}
		catch (IOException | IllegalStateException ex) {
			cancel.cancel(); // the client went away
		}
	}

	private static void token(SseEmitter emitter, CancellationSignal cancel, boolean steered, int id, String text) {
		Map<String, Object> data = new LinkedHashMap<>();
		data.put("side", steered ? "steered" : "default");
		data.put("token", id);
		data.put("text", text);
		try {
			emitter.send(SseEmitter.event().name("token").data(data, MediaType.APPLICATION_JSON));
		}
		catch (IOException | IllegalStateException ex) {
			cancel.cancel(); // the client went away
		}
	}

	/** @return a stream that only reports a problem (e.g. a form that cannot be run) */
	static SseEmitter problemOnly(String message, int status) {
		SseEmitter emitter = new SseEmitter();
		problem(emitter, message, status);
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

	@PreDestroy
	void stop() {
		this.streams.shutdownNow();
	}
}
