package dev.lumen.webcache;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * Registers {@link PageCacheFilter} after Spring Security's filter chain. A configuration rather than a
 * {@code @Component} filter, so controller slice tests ({@code @WebMvcTest}), which pick up filter components
 * but not their database, leave it out.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
class WebCacheConfiguration {

	@Bean
	FilterRegistrationBean<PageCacheFilter> pageCacheFilter(PageVersions versions, RenderedAnswers answers) {
		FilterRegistrationBean<PageCacheFilter> registration = new FilterRegistrationBean<>(new PageCacheFilter(versions, answers));
		registration.setOrder(Ordered.LOWEST_PRECEDENCE);
		return registration;
	}
}
