package dev.lumen.sae;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.testing.SeededDatabaseTest;
import dev.lumen.testing.FeatureFixture;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The SAE overview and the start page, rendered from a seeded database. */
class SaePageTest extends SeededDatabaseTest {

	@Test
	void showSaeRendersEvalStatsDensityHistogramAndFirstPage() {
		HttpResponse<String> page = this.client.get(this.fixture.saePath());
		assertThat(page.statusCode()).isEqualTo(200);
		String body = page.body();
		assertThat(body).contains("<dd id=\"sae-dsae\">64</dd>").contains("<dd id=\"sae-total\">64</dd>")
			.contains("<dt>L0 (active features per token)</dt><dd>12.50</dd>")
			.contains("<dt>explained variance</dt><dd>81.25%</dd>")
			.contains("<dt>dead features</dt><dd>3.13%</dd>")
			.contains("context_size");
		// densities 10^(-1.1 - index % 5) for the 63 live features; feature 0 (density 0) is dead; the
		// seeded feature 3 has density 0.0125 = 1e-1.90
		assertThat(body).contains("<strong>1</strong> dead features")
			.contains("density 1e-1.25 – 1e-1.00: 12 features")
			.contains("density 1e-2.25 – 1e-2.00: 13 features")
			.contains("density 1e-5.25 – 1e-5.00: 12 features")
			.contains("density 1e-2.00 – 1e-1.75: 1 features");
		// 50 rows per page, 2 pages; feature 3 has its newest label
		assertThat(rowCount(body)).isEqualTo(50);
		assertThat(body).contains("page 1 of 2").contains(FeatureFixture.LABEL.replace("&", "&amp;"));
	}

	@Test
	void showSaeSortsByMaxActivationDescendingAndPages() {
		String body = this.client.get(this.fixture.saePath() + "?sort=max&dir=desc&page=1").body();
		// max activations are 1 + index/100 except feature 3 (3.25): 3 first, then 63, 62, ...
		assertThat(firstIndices(body, 3)).containsExactly(3, 63, 62);
		assertThat(body).contains("aria-sort=\"descending\"");
		String second = this.client.get(this.fixture.saePath() + "?sort=max&dir=desc&page=2").body();
		assertThat(rowCount(second)).isEqualTo(14);
		// out-of-range and garbage parameters fall back to something sensible
		assertThat(this.client.get(this.fixture.saePath() + "?sort=drop+table&page=zzz").statusCode()).isEqualTo(200);
		assertThat(firstIndices(this.client.get(this.fixture.saePath() + "?page=99").body(), 1)).containsExactly(50);
	}

	@Test
	void filtersNarrowTheTableAndSurviveSortingAndPaging() {
		// densities 10^(-1.1 - index % 5): in percent, index % 5 == 0 gives 7.94 %, == 1 gives 0.79 %
		String dense = this.client.get(this.fixture.saePath() + "?minDensity=5&state=live").body();
		assertThat(firstIndices(dense, 3)).containsExactly(5, 10, 15);
		assertThat(dense).contains("12 of 64 features match");
		// the sort links keep the filter
		assertThat(dense).contains("sort=max&amp;dir=desc&amp;minDensity=5&amp;state=live");
		String maxed = this.client.get(this.fixture.saePath() + "?minMax=3").body();
		assertThat(firstIndices(maxed, 5)).containsExactly(3);
		String dead = this.client.get(this.fixture.saePath() + "?state=dead").body();
		assertThat(firstIndices(dead, 5)).containsExactly(0);
		assertThat(dead).contains("dead: never active in the extracted corpus");
		String labelled = this.client.get(this.fixture.saePath() + "?label=FELINE").body();
		assertThat(firstIndices(labelled, 5)).containsExactly(3);
		String unlabelled = this.client.get(this.fixture.saePath() + "?source=none&minMax=3").body();
		assertThat(unlabelled).contains("No feature matches these filters.");
		// garbage numbers are ignored like empty fields; a LIKE wildcard in the text is matched literally
		assertThat(rowCount(this.client.get(this.fixture.saePath() + "?minDensity=abc").body())).isEqualTo(50);
		assertThat(this.client.get(this.fixture.saePath() + "?label=%25").body()).contains("No feature matches these filters.");
	}

	@Test
	void randomFeatureRedirectsToAStoredFeature() {
		HttpResponse<String> random = this.client.get(this.fixture.saePath() + "/random");
		assertThat(random.statusCode()).isEqualTo(302);
		assertThat(random.headers().firstValue("Location").orElseThrow())
			.matches(".*" + Pattern.quote(this.fixture.saePath()) + "/[0-9]+$");
	}

	@Test
	void startPageShowsKeyNumbersAndLinksToSaes() {
		String body = this.client.get("/").body();
		assertThat(body).contains("href=\"" + this.fixture.saePath() + "\"")
			.contains("<td class=\"num\">12.50</td>")
			.contains("<td class=\"num\">81.25%</td>")
			.contains("action=\"/search\"");
	}

	private static int rowCount(String body) {
		Matcher m = Pattern.compile("<td class=\"num\"><a href=").matcher(body);
		int n = 0;
		while (m.find()) {
			n++;
		}
		return n;
	}

	private static java.util.List<Integer> firstIndices(String body, int k) {
		Matcher m = Pattern.compile("<td class=\"num\"><a href=\"[^\"]*\">([0-9]+)</a>").matcher(body);
		java.util.List<Integer> out = new java.util.ArrayList<>();
		while (m.find() && out.size() < k) {
			out.add(Integer.parseInt(m.group(1)));
		}
		return out;
	}
}
