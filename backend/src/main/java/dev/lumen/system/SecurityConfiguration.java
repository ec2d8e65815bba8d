package dev.lumen.system;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Browsing is public for now; CSRF protection stays on for every form and htmx request (the layout puts
 * the token in a meta tag that htmx sends as a header).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication // CLI commands run a context without a web server
class SecurityConfiguration {

	@Bean
	SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
		http.authorizeHttpRequests(auth -> auth.anyRequest().permitAll())
			.headers(headers -> headers.contentSecurityPolicy(csp -> csp.policyDirectives(
					"default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; object-src 'none'; "
							+ "frame-ancestors 'none'")));
		return http.build();
	}
}
