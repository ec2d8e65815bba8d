package dev.lumen.system;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which links go through the static-resource resolver chain (the versioned webjar URL itself: WelcomePageTest). */
class StaticResourceLinksTest {

	@Test
	void linksWhoseLastSegmentHasAnExtensionMayBeFiles() {
		assertThat(StaticResourceLinks.mayBeFile("/css/lumen.css")).isTrue();
		assertThat(StaticResourceLinks.mayBeFile("/webjars/htmx.org/dist/htmx.min.js")).isTrue();
		assertThat(StaticResourceLinks.mayBeFile("/favicon.svg?v=2#x")).isTrue();
	}

	@Test
	void pageLinksAreNotLookedUpAsFiles() {
		assertThat(StaticResourceLinks.mayBeFile("/")).isFalse();
		assertThat(StaticResourceLinks.mayBeFile("/search")).isFalse();
		assertThat(StaticResourceLinks.mayBeFile("/search?q=a.b")).isFalse();
		assertThat(StaticResourceLinks.mayBeFile("/tiny-1.5m/res-4/17#examples")).isFalse();
		assertThat(StaticResourceLinks.mayBeFile("/review/features/m/s/3/badge")).isFalse();
	}
}
