package dev.lumen.system;

import org.apache.catalina.core.StandardHost;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.boot.tomcat.TomcatContextCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Requests Tomcat refuses itself. An encoded {@code /} is passed through so that Spring Security's firewall refuses
 * it on the app's error page ({@link RejectedRequests}); what Tomcat still answers on its own (an invalid escape or
 * UTF-8 in the URL) gets {@link PlainErrorReportValve}'s page with the app's security headers instead of Tomcat's.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(StandardHost.class)
class TomcatErrors {

	@Bean
	TomcatConnectorCustomizer encodedSlashesReachTheFirewall() {
		return connector -> connector.setEncodedSolidusHandling("passthrough");
	}

	@Bean
	TomcatContextCustomizer plainErrorReports() {
		return context -> {
			if (context.getParent() instanceof StandardHost host) {
				host.setErrorReportValveClass(PlainErrorReportValve.class.getName());
			}
		};
	}
}
