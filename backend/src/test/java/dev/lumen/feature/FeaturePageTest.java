package dev.lumen.feature;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.testing.SeededDatabaseTest;
import dev.lumen.testing.FeatureFixture;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The feature page rendered from a seeded database, over HTTP. */
class FeaturePageTest extends SeededDatabaseTest {

	@Autowired
	FeatureNeighbourRepository neighbourRepository;

	@Test
	void showFeatureRendersLabelStatsAndOpenGraphTags() {
		HttpResponse<String> page = this.client.get(this.fixture.featurePath(FeatureFixture.FEATURE));
		assertThat(page.statusCode()).isEqualTo(200);
		String body = page.body();
		assertThat(body).contains("Script tags &amp; feline nouns")
			.contains("Fires on HTML script tags, most strongly right after &#39;sat on&#39;.")
			.contains("anthropic:claude-test")
			.contains("<dd id=\"stat-density\">1.25%</dd>")
			.contains("<dd id=\"stat-max\">3.250</dd>")
			.contains("<meta class=\"page-head\" property=\"og:title\" content=\"Script tags &amp; feline nouns — " + this.fixture.model.getName()
					+ " / res-1-64 / 3\">")
			.contains("<meta class=\"page-head\" property=\"og:url\" content=\"http://localhost" + this.fixture.featurePath(3) + "\">")
			.contains("hx-get=\"/review/features/" + this.fixture.model.getName() + "/res-1-64/3/badge\"")
			// the newest label wins over the older heuristic one
			.doesNotContain("id=\"heuristic-label\"");
	}

	@Test
	void showFeatureLinksToThePlaygroundWithThisFeaturePreselected() {
		String body = this.client.get(this.fixture.featurePath(FeatureFixture.FEATURE)).body();
		String[] parts = this.fixture.featurePath(FeatureFixture.FEATURE).substring(1).split("/");
		assertThat(body).contains("id=\"steer-link\" href=\"/playground?model=" + parts[0] + "&amp;sae=" + parts[1]
				+ "&amp;feature=" + parts[2] + "\"");
	}

	@Test
	void showFeatureEscapesTokensAndMakesWhitespaceVisible() {
		String body = this.client.get(this.fixture.featurePath(FeatureFixture.FEATURE) + "?interval=2").body();
		assertThat(body).doesNotContain("<script>alert(1)</script>")
			// the strongest token of top example 0, with its exact activation for hover and no-JS title
			.contains("<span class=\"tok on max\" style=\"--a:1.0\" tabindex=\"0\" data-act=\"3.250\" "
					+ "title=\"activation 3.250\">&lt;script&gt;alert(1)&lt;/script&gt;</span>")
			.contains("data-act=\"1.250\"")
			.contains(">⏎</span>")
			.contains(">·</span>")
			.contains(">␇bell</span>")
			.contains(">⇥</span>")
			.contains("&quot;quoted&quot;");
	}

	@Test
	void showFeatureListsExamplesLogitsNeighboursAndCooccurrence() {
		String body = this.client.get(this.fixture.featurePath(FeatureFixture.FEATURE)).body();
		// 2 top and 1 zero example come with the page; the long one hides tokens outside its window
		assertThat(body).contains("id=\"top-0\"", "id=\"top-1\"", "id=\"zero-0\"");
		// the two intervals are listed, strongest first, and load when opened
		assertThat(body).containsPattern("(?s)id=\"interval-9\".*id=\"interval-2\"")
			.contains("max activation 1.500 – 1.500 · 1 examples")
			.contains("hx-get=\"" + this.fixture.featurePath(3) + "/intervals/9\"")
			.doesNotContain("id=\"interval-9-0\"");
		assertThat(body).contains("class=\"tok out\"").contains("<summary");
		assertThat(body).contains("<td class=\"num pos\">+0.750</td>").contains("<td class=\"num neg\">-0.625</td>");
		// nearest neighbour in the same SAE is the twin, with its label and exact cosine
		float[] a = this.neighbourRepository.decoder(this.fixture.sae, FeatureFixture.FEATURE).orElseThrow();
		float[] b = this.neighbourRepository.decoder(this.fixture.sae, FeatureFixture.TWIN).orElseThrow();
		String cosine = String.format(java.util.Locale.ROOT, "%.3f", FeatureFixture.cosine(a, b));
		assertThat(body).containsPattern("(?s)id=\"neighbours\".*?href=\"" + this.fixture.featurePath(FeatureFixture.TWIN)
				+ "\".*?Twin of the script feature.*?" + cosine);
		// in the wider SAE on the same hook, its twin is listed first
		assertThat(body).containsPattern("(?s)res-1-128.*?href=\"/" + this.fixture.model.getName() + "/res-1-128/"
				+ FeatureFixture.WIDE_TWIN + "\"");
		assertThat(body).containsPattern("(?s)id=\"cooccurring\".*?#7.*?0\\.500.*?#12.*?no label yet.*?0\\.250");
	}

	@Test
	void intervalExamplesComeAsAFragmentForHtmxOrWithThePageWithoutJavaScript() throws Exception {
		String path = this.fixture.featurePath(FeatureFixture.FEATURE) + "/intervals/2";
		var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + this.port + path))
			.header("HX-Request", "true")
			.build();
		String fragment = java.net.http.HttpClient.newHttpClient()
			.send(request, java.net.http.HttpResponse.BodyHandlers.ofString())
			.body();
		assertThat(fragment).contains("id=\"interval-2-0\"").contains("&quot;quoted&quot;").doesNotContain("<html");
		HttpResponse<String> plain = this.client.get(path);
		assertThat(plain.statusCode()).isEqualTo(302);
		assertThat(plain.headers().firstValue("Location").orElseThrow())
			.endsWith(this.fixture.featurePath(FeatureFixture.FEATURE) + "?interval=2#interval-2");
		String page = this.client.get(this.fixture.featurePath(FeatureFixture.FEATURE) + "?interval=2").body();
		assertThat(page).contains("id=\"interval-2-0\"").doesNotContain("id=\"interval-9-0\"");
	}

	@Test
	void showFeatureDrawsBothHistograms() {
		String body = this.client.get(this.fixture.featurePath(FeatureFixture.FEATURE)).body();
		assertThat(body).contains("Activation histogram").contains("0.010 – 0.100: 40 tokens").contains("1.000 – 10.00: 5 tokens");
		// ratings over 10 bins up to the max activation 3.25: 3.0 and 2.5 rated 3, 0.25 rated 0
		assertThat(body).contains("Specificity")
			.contains("2.925 – 3.250: 1 rated 3 clearly matches")
			.contains("2.275 – 2.600: 1 rated 3 clearly matches")
			.contains("0 – 0.325: 1 rated 0 unrelated");
	}

	@Test
	void featureWithoutLabelOrDataSaysSo() {
		String body = this.client.get(this.fixture.featurePath(5)).body();
		assertThat(body).contains("id=\"no-label\"").contains("Feature 5 (no label yet)").contains("No examples stored yet")
			.contains("Specificity: not scored yet");
	}

	@Test
	void heuristicLabelsAreMarked() {
		this.jdbc.update("INSERT INTO feature_label (sae_id, feature_index, label, explainer, is_heuristic) "
				+ "VALUES (?, 9, 'mostly  dog', 'heuristic', true)", this.fixture.sae.getId());
		assertThat(this.client.get(this.fixture.featurePath(9)).body()).contains("id=\"heuristic-label\"")
			.contains("heuristic label");
	}

	@Test
	void unknownModelSaeAndIndexGetHelpful404s() {
		String model = this.fixture.model.getName();
		HttpResponse<String> noModel = this.client.get("/no-such-model/res-1-64/3");
		assertThat(noModel.statusCode()).isEqualTo(404);
		assertThat(noModel.body()).contains("Unknown model").contains("href=\"/" + model + "/res-1-64\"");

		HttpResponse<String> noSae = this.client.get("/" + model + "/nope/3");
		assertThat(noSae.statusCode()).isEqualTo(404);
		assertThat(noSae.body()).contains("Unknown SAE").contains("href=\"/" + model + "/res-1-128\"");

		for (String index : new String[] { "64", "-1", "abc", "99999999999" }) {
			HttpResponse<String> bad = this.client.get("/" + model + "/res-1-64/" + index);
			assertThat(bad.statusCode()).as(index).isEqualTo(404);
			assertThat(bad.body()).contains("feature indices run from 0 to 63").doesNotContain("Exception");
		}
	}

	@Test
	void staticResourcesAreNotMistakenForModels() {
		assertThat(this.client.get("/css/lumen.css").statusCode()).isEqualTo(200);
		assertThat(this.client.get("/js/feature.js").statusCode()).isEqualTo(200);
	}
}
