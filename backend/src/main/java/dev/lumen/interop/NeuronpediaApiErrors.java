package dev.lumen.interop;

import dev.lumen.feature.ProbeUnavailableException;
import dev.lumen.sae.NotInCatalogException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** The Neuronpedia-compatible routes' errors as problem details: 404, 400 and 503, never a 500. */
@RestControllerAdvice(assignableTypes = NeuronpediaApiController.class)
class NeuronpediaApiErrors {

	@ExceptionHandler(NotInCatalogException.class)
	ProblemDetail notFound(NotInCatalogException ex) {
		ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, ex.getMessage());
		p.setTitle(ex.getHeading());
		return p;
	}

	@ExceptionHandler(IllegalArgumentException.class)
	ProblemDetail badRequest(IllegalArgumentException ex) {
		return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, ex.getMessage());
	}

	@ExceptionHandler(ProbeUnavailableException.class)
	ProblemDetail unavailable(ProbeUnavailableException ex) {
		ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, ex.getMessage());
		p.setTitle("The model cannot run on this server");
		return p;
	}
}
