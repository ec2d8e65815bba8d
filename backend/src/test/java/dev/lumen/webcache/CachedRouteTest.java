package dev.lumen.webcache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.webcache.PageVersions.Scope;
import org.junit.jupiter.api.Test;

class CachedRouteTest {

	@Test
	void permalinksAndTheirJsonAreCachedPerFeature() {
		assertThat(CachedRoute.of("/m/s/42", null)).isEqualTo(new CachedRoute("m", "s", Scope.FEATURE, 42, true));
		assertThat(CachedRoute.of("/api/m/s/42", null)).isEqualTo(new CachedRoute("m", "s", Scope.FEATURE, 42, false));
		assertThat(CachedRoute.of("/api/m/s/42/neighbours", null).scope()).isEqualTo(Scope.FEATURE);
		assertThat(CachedRoute.of("/api/m/s/42/examples", null).scope()).isEqualTo(Scope.FEATURE);
	}

	@Test
	void pagesWithAUserTextOrAnOpenIntervalAndHtmxPartsAreNotCached() {
		assertThat(CachedRoute.of("/m/s/42", "text=hello")).isNull();
		assertThat(CachedRoute.of("/m/s/42", "interval=3")).isNull();
		assertThat(CachedRoute.of("/m/s/42/intervals/3", null)).isNull();
		assertThat(CachedRoute.of("/m/s/42/try", "text=x")).isNull();
		assertThat(CachedRoute.of("/api/m/s/42/activations", "text=x")).isNull();
		assertThat(CachedRoute.of("/m/s/random", null)).isNull();
		assertThat(CachedRoute.of("/m/s", null)).isNull();
	}

	@Test
	void mapsAreCachedWithTheirQueryAndPicturesByContentOnly() {
		assertThat(CachedRoute.of("/m/s/map", "colour=density&q=x")).isEqualTo(new CachedRoute("m", "s", Scope.LABELS, -1, true));
		assertThat(CachedRoute.of("/api/m/s/map/points", "x0=1")).isEqualTo(new CachedRoute("m", "s", Scope.LABELS, -1, false));
		assertThat(CachedRoute.of("/m/s/map.svg", null)).isEqualTo(new CachedRoute("m", "s", Scope.CONTENT, -1, false));
		assertThat(CachedRoute.of("/m/s/7/map.svg", null)).isEqualTo(new CachedRoute("m", "s", Scope.CONTENT, 7, false));
	}

	@Test
	void theAppsOwnPathsAreNeverTakenForCatalogPages() {
		assertThat(CachedRoute.of("/review/features/1", null)).isNull();
		assertThat(CachedRoute.of("/search/prompt/3", null)).isNull();
		assertThat(CachedRoute.of("/css/x/1", null)).isNull();
	}

	@Test
	void ifNoneMatchAcceptsListsStarAndWeakForms() {
		assertThat(PageCacheFilter.matches("\"a\", \"F-1\"", "\"F-1\"")).isTrue();
		assertThat(PageCacheFilter.matches("W/\"F-1\"", "\"F-1\"")).isTrue();
		assertThat(PageCacheFilter.matches("*", "\"F-1\"")).isTrue();
		assertThat(PageCacheFilter.matches("\"F-2\"", "\"F-1\"")).isFalse();
		assertThat(PageCacheFilter.matches(null, "\"F-1\"")).isFalse();
	}
}
