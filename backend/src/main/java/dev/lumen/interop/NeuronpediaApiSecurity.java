package dev.lumen.interop;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.HttpStatusEntryPoint;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;

/**
 * Neuronpedia's clients read with two POST routes and send no CSRF token. Those two routes change nothing in
 * Lumen (a search, and a text run through the model), so they skip CSRF; who may call them follows
 * {@code lumen.security.public-browsing} like every other read.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
class NeuronpediaApiSecurity {

	@Bean
	@Order(1)
	SecurityFilterChain neuronpediaReadChain(HttpSecurity http,
			@Value("${lumen.security.public-browsing:true}") boolean publicBrowsing) throws Exception {
		http.securityMatcher(new OrRequestMatcher(
				PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.POST, "/api/explanation/search"),
				PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.POST, "/api/activation/new")));
		http.authorizeHttpRequests(auth -> {
			if (publicBrowsing) {
				auth.anyRequest().permitAll();
			}
			else {
				auth.anyRequest().authenticated();
			}
		});
		http.csrf(csrf -> csrf.disable());
		http.exceptionHandling(ex -> ex.authenticationEntryPoint(new HttpStatusEntryPoint(HttpStatus.UNAUTHORIZED)));
		return http.build();
	}
}
