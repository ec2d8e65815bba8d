package dev.lumen.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.testing.SeededDatabaseTest;
import dev.lumen.testing.FeatureFixture;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Search by label text (full-text and trigram), by index and by permalink, against a seeded database. */
class SearchPageTest extends SeededDatabaseTest {

	@Autowired
	LabelSearchRepository labels;

	@Test
	void fullTextSearchFindsStemmedWordsInLabelsAndDescriptions() {
		// "feline" is in the label, "strongly" in the description; "tag" matches "tags" by stemming
		String body = search("feline tag", this.fixture.model.getName() + "/res-1-64");
		assertThat(body).contains("href=\"" + this.fixture.featurePath(FeatureFixture.FEATURE) + "\"")
			.contains("Script tags &amp; feline nouns");
		assertThat(search("strongly", null)).contains(this.fixture.featurePath(FeatureFixture.FEATURE));
	}

	@Test
	void trigramSearchForgivesTypos() {
		// "scriptt" is no word full-text search knows; both words are trigram-similar to words of the label
		String body = search("felin scriptt", null);
		assertThat(body).contains(this.fixture.featurePath(FeatureFixture.FEATURE));
	}

	@Test
	void onlyTheNewestLabelOfAFeatureIsSearched() {
		// the older heuristic label "tokens: <script>, on" is superseded
		assertThat(this.labels.search("tokens", this.fixture.sae.getId(), 10, 0)).isEmpty();
		assertThat(this.labels.search("twin", this.fixture.sae.getId(), 10, 0)).extracting(LabelMatch::featureIndex)
			.containsExactly(FeatureFixture.TWIN);
	}

	@Test
	void noMatchEmptyAndOverlongQueriesAreHandled() {
		assertThat(search("zzzzqqqq", null)).contains("id=\"no-matches\"").contains("No labels match “zzzzqqqq”.");
		assertThat(search("", null)).contains("id=\"search-empty\"");
		assertThat(search("<script>alert(1)</script>", null)).doesNotContain("<script>alert(1)</script>");
		assertThat(search("feline ".repeat(60), null)).contains("id=\"query-truncated\"");
	}

	@Test
	void anIndexInOneSaeOrAPermalinkGoesStraightToTheFeature() {
		HttpResponse<String> scoped = this.client.get("/search?q=42&sae=" + this.fixture.model.getName() + "/res-1-64");
		assertThat(scoped.statusCode()).isEqualTo(302);
		assertThat(scoped.headers().firstValue("Location").orElseThrow()).endsWith(this.fixture.featurePath(42));
		HttpResponse<String> pasted = this.client.get("/search?q=" + this.fixture.featurePath(5).substring(1));
		assertThat(pasted.headers().firstValue("Location").orElseThrow()).endsWith(this.fixture.featurePath(5));
		// "#100" within the wide SAE (d_sae 128): straight there
		HttpResponse<String> wide = this.client.get("/search?q=%23100&sae=" + this.fixture.model.getName() + "/res-1-128");
		assertThat(wide.headers().firstValue("Location").orElseThrow())
			.endsWith("/" + this.fixture.model.getName() + "/res-1-128/100");
		// index 5 exists in both SAEs: both are listed
		assertThat(search("5", null)).contains("href=\"/" + this.fixture.model.getName() + "/res-1-128/5\"")
			.contains("href=\"" + this.fixture.featurePath(5) + "\"");
	}

	private String search(String q, String sae) {
		String path = "/search?q=" + URLEncoder.encode(q, StandardCharsets.UTF_8)
				+ (sae == null ? "" : "&sae=" + URLEncoder.encode(sae, StandardCharsets.UTF_8));
		HttpResponse<String> page = this.client.get(path);
		assertThat(page.statusCode()).as(path).isEqualTo(200);
		return page.body();
	}
}
