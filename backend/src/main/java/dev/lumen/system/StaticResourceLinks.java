package dev.lumen.system;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.resource.ResourceUrlEncodingFilter;

/**
 * Versioned URLs for static files ({@code @{/webjars/htmx.org/dist/htmx.min.js}} becomes
 * {@code /webjars/htmx.org/2.0.10/...}) without paying for them on every page link.
 *
 * <p>Spring's {@link ResourceUrlEncodingFilter} (Boot registers it because webjars-locator-lite is present) runs
 * every {@code @{...}} link through the static-resource resolver chain. The static path pattern is {@code /**},
 * so links to pages ({@code /search}, {@code /review/...}) are looked up as classpath files too, and misses are not
 * cached: a profile of the feature page under load put 27 % of the app's CPU there (docs/benchmarks.md, Web). This
 * filter replaces Boot's and leaves links whose last path segment has no file extension alone; only those can be
 * pages, never files under {@code static/} or a webjar.
 */
@Configuration(proxyBeanMethods = false)
class StaticResourceLinks {

	/** Replaces Boot's registration (it backs off when a ResourceUrlEncodingFilter is registered). */
	@Bean
	FilterRegistrationBean<ResourceUrlEncodingFilter> fileLinksOnlyResourceUrlEncodingFilter() {
		FilterRegistrationBean<ResourceUrlEncodingFilter> registration = new FilterRegistrationBean<>(new FileLinksOnlyFilter());
		registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ERROR);
		return registration;
	}

	/**
	 * @param url a link as a template writes it, e.g. {@code /css/lumen.css?x#y}
	 * @return whether its last path segment has a file extension, so it may name a static file
	 */
	static boolean mayBeFile(String url) {
		int end = url.length();
		for (int i = 0; i < url.length(); i++) {
			char c = url.charAt(i);
			if (c == '?' || c == '#') {
				end = i;
				break;
			}
		}
		int slash = url.lastIndexOf('/', end - 1);
		int dot = url.lastIndexOf('.', end - 1);
		return dot > slash;
	}

	/** Spring's filter, with page links passed straight to the container's response. */
	static final class FileLinksOnlyFilter extends ResourceUrlEncodingFilter {

		@Override
		public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
				throws ServletException, IOException {
			super.doFilter(request, response, (req, res) -> chain.doFilter(req,
					new PageLinksUnchanged((HttpServletResponse) res, (HttpServletResponse) response)));
		}
	}

	/** Encodes file links through Spring's resource wrapper and every other link as the container would. */
	private static final class PageLinksUnchanged extends HttpServletResponseWrapper {

		private final HttpServletResponse container;

		PageLinksUnchanged(HttpServletResponse resourceEncoding, HttpServletResponse container) {
			super(resourceEncoding);
			this.container = container;
		}

		@Override
		public String encodeURL(String url) {
			return mayBeFile(url) ? super.encodeURL(url) : this.container.encodeURL(url);
		}
	}
}
