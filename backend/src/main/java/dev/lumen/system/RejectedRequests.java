package dev.lumen.system;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.web.firewall.RequestRejectedHandler;

/**
 * Requests Spring Security's firewall refuses (an encoded {@code /}, {@code ;} or {@code %}, a malformed path):
 * 400 on the app's error page, logged as one line without a stack trace, so a client cannot flood the log.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
class RejectedRequests {

	private static final Logger log = LoggerFactory.getLogger(RejectedRequests.class);

	@Bean
	RequestRejectedHandler requestRejectedHandler() {
		return (request, response, ex) -> {
			log.info("Rejected {} from {}: {}", request.getMethod(), request.getRemoteAddr(), ex.getMessage());
			// refused before Spring Security's header writer ran: the error page gets the same headers here
			PlainErrorReportValve.securityHeaders(response);
			ErrorMessages.badRequest(request, response, ex.getMessage());
		};
	}
}
