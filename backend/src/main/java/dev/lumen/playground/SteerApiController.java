package dev.lumen.playground;

import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/steer}: JSON in, both completions out. CSRF stays on (as for every POST): browser scripts send
 * the token from the layout's meta tag; generations are bounded by {@link GenerationSlots} either way.
 */
@RestController
class SteerApiController {

	private final SteeringService steering;

	SteerApiController(SteeringService steering) {
		this.steering = steering;
	}

	@PostMapping(path = "/api/steer", consumes = "application/json", produces = "application/json")
	SteerResult steer(@RequestBody(required = false) SteerRequest request) {
		return this.steering.steer(request);
	}

	@ExceptionHandler(PlaygroundException.class)
	ResponseEntity<Map<String, String>> badRequest(PlaygroundException ex) {
		return ResponseEntity.badRequest().body(Map.of("error", ex.getMessage()));
	}

	@ExceptionHandler(HttpMessageNotReadableException.class)
	ResponseEntity<Map<String, String>> unreadable(HttpMessageNotReadableException ex) {
		return ResponseEntity.badRequest()
			.body(Map.of("error", "the request body is not valid steering JSON (prompt, model, features, ...)"));
	}

	@ExceptionHandler(PlaygroundBusyException.class)
	ResponseEntity<Map<String, String>> busy(PlaygroundBusyException ex) {
		return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
			.header(HttpHeaders.RETRY_AFTER, Integer.toString(ex.retryAfterSeconds()))
			.body(Map.of("error", ex.getMessage()));
	}
}
