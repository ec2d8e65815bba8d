package dev.lumen.system;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import org.springframework.boot.webmvc.error.DefaultErrorAttributes;
import org.springframework.boot.webmvc.error.ErrorAttributes;
import org.springframework.boot.web.error.ErrorAttributeOptions;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.WebRequest;

/**
 * Messages the app itself wrote for the user, shown on the error page and in JSON errors. Exception messages stay
 * hidden ({@code server.error.include-message=never}: they may name SQL or files); only a message put here by
 * {@link #badRequest} (written for the user) replaces the empty one.
 */
@Configuration(proxyBeanMethods = false)
public class ErrorMessages {

	private static final String ATTRIBUTE = ErrorMessages.class.getName() + ".message";

	/** Answers 400 with {@code message} through the app's error page (its layout, headers and JSON variant). */
	public static void badRequest(HttpServletRequest request, HttpServletResponse response, String message) throws IOException {
		send(request, response, HttpServletResponse.SC_BAD_REQUEST, message);
	}

	/** Answers {@code status} with {@code message} through the app's error page. */
	public static void send(HttpServletRequest request, HttpServletResponse response, int status, String message)
			throws IOException {
		request.setAttribute(ATTRIBUTE, message);
		response.sendError(status);
	}

	@Bean
	ErrorAttributes errorAttributes() {
		return new DefaultErrorAttributes() {

			@Override
			public Map<String, Object> getErrorAttributes(WebRequest request, ErrorAttributeOptions options) {
				Map<String, Object> attributes = super.getErrorAttributes(request, options);
				Object message = request.getAttribute(ATTRIBUTE, RequestAttributes.SCOPE_REQUEST);
				if (message != null) {
					attributes.put("message", message);
				}
				return attributes;
			}
		};
	}
}
