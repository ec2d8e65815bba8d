package dev.lumen.system;

import dev.lumen.account.ApiTokens;
import dev.lumen.account.BearerTokenFilter;
import dev.lumen.account.LoginThrottle;
import dev.lumen.account.LoginThrottledException;
import dev.lumen.account.LoginThrottlingProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;
import org.springframework.security.core.session.SessionRegistry;
import org.springframework.security.core.session.SessionRegistryImpl;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.csrf.CsrfFilter;
import org.springframework.security.web.header.HeaderWriterFilter;
import org.springframework.security.web.session.HttpSessionEventPublisher;
import org.springframework.security.web.authentication.HttpStatusEntryPoint;

/**
 * Who may do what. Reading is public or needs a login ({@code lumen.security.public-browsing}); flagging,
 * reviewing and lists need REVIEWER or ADMIN; user management, suggestion settings and the global audit log
 * need ADMIN. CSRF protection is on for every form and htmx request (the layout puts the token in a meta tag
 * that {@code lumen.js} sends as a header); failed logins are rate limited by {@link LoginThrottle}, asked by the
 * authentication manager itself (not by URL).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
class SecurityConfiguration {

	private static final String[] REVIEWERS = { "REVIEWER", "ADMIN" };

	@Bean
	SecurityFilterChain securityFilterChain(HttpSecurity http, LoginThrottle throttle, SessionRegistry sessionRegistry,
			ApiTokens apiTokens,
			@Value("${lumen.security.public-browsing:true}") boolean publicBrowsing) throws Exception {
		http.authorizeHttpRequests(auth -> {
			auth.requestMatchers("/css/**", "/js/**", "/webjars/**", "/favicon.svg", "/login", "/error",
					"/actuator/health", "/actuator/health/**").permitAll();
			auth.requestMatchers("/admin/**").hasRole("ADMIN");
			auth.requestMatchers(HttpMethod.GET, "/audit").hasRole("ADMIN");
			auth.requestMatchers("/review/suggestions/**").hasRole("ADMIN");
			// what feature pages and SAE overviews load: readable like the pages themselves
			browse(auth.requestMatchers(HttpMethod.GET, "/review/features/*/*/*/badge", "/review/saes/*/*/counts",
					"/lists", "/lists/**"), publicBrowsing);
			auth.requestMatchers(HttpMethod.GET, "/review/features/*/*/*/flag").hasAnyRole(REVIEWERS);
			// flags, comments and audit trails are for logged-in users, even when browsing is public
			auth.requestMatchers(HttpMethod.GET, "/review", "/review/**", "/audit/**", "/account/**").authenticated();
			auth.requestMatchers("/review", "/review/**", "/lists", "/lists/**").hasAnyRole(REVIEWERS);
			auth.requestMatchers("/account/**").authenticated();
			browse(auth.anyRequest(), publicBrowsing);
		});
		// asked before the password provider, inside the authentication manager: every path to it is throttled
		http.authenticationProvider(new LoginThrottlingProvider(throttle));
		http.formLogin(form -> form.loginPage("/login")
			.failureHandler((request, response, ex) -> response.sendRedirect(request.getContextPath()
					+ (ex instanceof LoginThrottledException ? "/login?throttled" : "/login?error"))));
		http.logout(logout -> logout.logoutSuccessUrl("/login?logout"));
		// sessions are registered so that a role change or disabling ends them (account/SessionRevoker)
		http.sessionManagement(session -> session.maximumSessions(-1).sessionRegistry(sessionRegistry)
			.expiredUrl("/login?expired"));
		// htmx and JSON callers get a status, not the login page swapped into a fragment
		http.exceptionHandling(ex -> ex.defaultAuthenticationEntryPointFor(new HttpStatusEntryPoint(HttpStatus.UNAUTHORIZED),
				request -> request.getHeader("HX-Request") != null || request.getRequestURI().startsWith(request.getContextPath() + "/api/")));
		http.headers(headers -> headers.contentSecurityPolicy(csp -> csp.policyDirectives(PlainErrorReportValve.CONTENT_SECURITY_POLICY)));
		// NUL characters are refused once the security headers are on the response, before CSRF and login see the request
		http.addFilterAfter(new NulByteGuard(), HeaderWriterFilter.class);
		// scripts with a personal API token: authenticated per request, no session, no CSRF token to scrape
		http.addFilterBefore(new BearerTokenFilter(apiTokens), CsrfFilter.class);
		http.csrf(csrf -> csrf.ignoringRequestMatchers(BearerTokenFilter::authenticatedByToken));
		return http.build();
	}

	@Bean
	SessionRegistry sessionRegistry() {
		return new SessionRegistryImpl();
	}

	/** Tells the session registry when sessions end, so it does not keep them forever. */
	@Bean
	HttpSessionEventPublisher httpSessionEventPublisher() {
		return new HttpSessionEventPublisher();
	}

	private static void browse(AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizedUrl url, boolean publicBrowsing) {
		if (publicBrowsing) {
			url.permitAll();
		}
		else {
			url.authenticated();
		}
	}
}
