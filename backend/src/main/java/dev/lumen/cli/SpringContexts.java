package dev.lumen.cli;

import dev.lumen.LumenApplication;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** The application context for commands that need the database but no web server. */
final class SpringContexts {

	private SpringContexts() {
	}

	static ConfigurableApplicationContext withoutWeb(String... args) {
		return new SpringApplicationBuilder(LumenApplication.class).web(WebApplicationType.NONE)
			.bannerMode(Banner.Mode.OFF)
			.logStartupInfo(false)
			.properties("logging.level.root=WARN", "logging.level.dev.lumen=INFO")
			.run(args);
	}
}
