package dev.lumen.playground;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * {@code POST /api/steer}: JSON in, both completions out; {@code POST /api/steer/stream}: the same request, answered
 * as server-sent events token by token. CSRF stays on (as for every POST): browser scripts send the token from the
 * layout's meta tag; generations are bounded by {@link GenerationSlots} either way.
 */
@RestController
@Tag(name = "steering")
class SteerApiController {

	private final SteeringService steering;

	private final GenerationSlots slots;

	private final SteerEventStream events;

	SteerApiController(SteeringService steering, GenerationSlots slots, SteerEventStream events) {
		this.steering = steering;
		this.slots = slots;
		this.events = events;
	}

	@PostMapping(path = "/api/steer", consumes = "application/json", produces = "application/json")
	@Operation(summary = "Generate the default and the steered completion of a prompt or conversation (same seed)")
	SteerResult steer(@RequestBody(required = false) SteerRequest request) {
		return this.steering.steer(request);
	}

	/**
	 * Checks the request and takes a generation slot before the stream starts, so that bad requests get a 400 and a
	 * busy server a 429 (with Retry-After) as plain JSON answers; then streams (see {@link SteerEventStream}).
	 */
	@PostMapping(path = "/api/steer/stream", consumes = "application/json", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	@Operation(summary = "The same as /api/steer, streamed as server-sent events: start, token (side, token, text) "
			+ "for the default and the steered completion in turn, done (the full result) or problem")
	SseEmitter stream(@RequestBody(required = false) SteerRequest request) {
		SteeringPlan plan = this.steering.plan(request);
		return this.events.start(plan, this.slots.enter());
	}

	@ExceptionHandler(PlaygroundException.class)
	ResponseEntity<Map<String, String>> badRequest(PlaygroundException ex) {
		return ResponseEntity.badRequest().contentType(MediaType.APPLICATION_JSON).body(Map.of("error", ex.getMessage()));
	}

	@ExceptionHandler(HttpMessageNotReadableException.class)
	ResponseEntity<Map<String, String>> unreadable(HttpMessageNotReadableException ex) {
		return ResponseEntity.badRequest()
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("error", "the request body is not valid steering JSON (prompt or messages, model, features, ...)"));
	}

	@ExceptionHandler(PlaygroundBusyException.class)
	ResponseEntity<Map<String, String>> busy(PlaygroundBusyException ex) {
		return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
			.header(HttpHeaders.RETRY_AFTER, Integer.toString(ex.retryAfterSeconds()))
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("error", ex.getMessage()));
	}
}
