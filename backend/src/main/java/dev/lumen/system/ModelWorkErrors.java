package dev.lumen.system;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;

/**
 * {@link ModelWork}'s refusals for every page and API that runs a model: 429 with Retry-After when busy, 400 when an
 * anonymous input is too large, each with its message on the app's error page or in its JSON error. Controllers
 * that show the refusal inline (the playground form) catch it themselves first.
 */
@ControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
class ModelWorkErrors {

	@ExceptionHandler(ModelBusyException.class)
	void busy(ModelBusyException ex, HttpServletRequest request, HttpServletResponse response) throws IOException {
		response.setHeader("Retry-After", Integer.toString(ex.retryAfterSeconds()));
		ErrorMessages.send(request, response, 429, ex.getMessage());
	}

	@ExceptionHandler(ModelInputTooLargeException.class)
	void tooLarge(ModelInputTooLargeException ex, HttpServletRequest request, HttpServletResponse response) throws IOException {
		ErrorMessages.badRequest(request, response, ex.getMessage());
	}
}
