package dev.lumen.api;

import dev.lumen.feature.ProbeUnavailableException;
import dev.lumen.sae.NotInCatalogException;
import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/** API errors as RFC 9457 problem details, with links to what exists instead of a stack trace. */
@RestControllerAdvice(basePackages = "dev.lumen.api")
class ApiErrors {

	@ExceptionHandler(NotInCatalogException.class)
	ProblemDetail notInCatalog(NotInCatalogException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, ex.getMessage());
		problem.setTitle(ex.getHeading());
		problem.setProperty("suggestions", ex.getSuggestions());
		return problem;
	}

	@ExceptionHandler(ProbeUnavailableException.class)
	ProblemDetail probeUnavailable(ProbeUnavailableException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, ex.getMessage());
		problem.setTitle("The model cannot run on this server");
		return problem;
	}

	@ExceptionHandler(BadParameterException.class)
	ProblemDetail badParameter(BadParameterException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, ex.getMessage());
		problem.setType(URI.create("about:blank"));
		return problem;
	}

	@ExceptionHandler(MethodArgumentTypeMismatchException.class)
	ProblemDetail badParameter(MethodArgumentTypeMismatchException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
				"parameter '" + ex.getName() + "' must be a " + (ex.getRequiredType() == null ? "valid value"
						: ex.getRequiredType().getSimpleName().toLowerCase(java.util.Locale.ROOT)));
		problem.setType(URI.create("about:blank"));
		return problem;
	}
}
