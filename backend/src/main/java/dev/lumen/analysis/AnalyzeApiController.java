package dev.lumen.analysis;

import dev.lumen.playground.PlaygroundBusyException;
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
 * {@code POST /api/analyze}: JSON in, attribution and ablation tables out. CSRF stays on, as for
 * {@code /api/steer}: the work is compute-heavy and shares the playground's slots.
 */
@RestController
class AnalyzeApiController {

	private final AnalysisService analysis;

	AnalyzeApiController(AnalysisService analysis) {
		this.analysis = analysis;
	}

	@PostMapping(path = "/api/analyze", consumes = "application/json", produces = "application/json")
	AnalysisResult analyze(@RequestBody(required = false) AnalyzeRequest request) {
		return this.analysis.analyze(request);
	}

	@ExceptionHandler(AnalysisException.class)
	ResponseEntity<Map<String, String>> badRequest(AnalysisException ex) {
		return ResponseEntity.badRequest().body(Map.of("error", ex.getMessage()));
	}

	@ExceptionHandler(HttpMessageNotReadableException.class)
	ResponseEntity<Map<String, String>> unreadable(HttpMessageNotReadableException ex) {
		return ResponseEntity.badRequest()
			.body(Map.of("error", "the request body is not valid analysis JSON (model, sae, prompt, target, ...)"));
	}

	@ExceptionHandler(PlaygroundBusyException.class)
	ResponseEntity<Map<String, String>> busy(PlaygroundBusyException ex) {
		return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
			.header(HttpHeaders.RETRY_AFTER, Integer.toString(ex.retryAfterSeconds()))
			.body(Map.of("error", ex.getMessage()));
	}
}
