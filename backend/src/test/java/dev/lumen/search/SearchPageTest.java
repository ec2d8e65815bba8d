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

	@Test
	void aResultShowsItsStrongestActivationInContextItsDensityAndItsScores() {
		String body = search("feline", this.fixture.model.getName() + "/res-1-64");
		// top example 0 has its max on position 4 (the script token): 4 tokens before it (the window start), 3 after
		int item = body.indexOf("href=\"" + this.fixture.featurePath(FeatureFixture.FEATURE) + "\"");
		String result = body.substring(item, body.indexOf("</li>", item)).replaceAll("<span\\s+", "<span ");
		assertThat(result).contains("<span class=\"tok max\" style=\"--a:1.00\">&lt;script&gt;alert(1)&lt;/script&gt;</span>")
			.contains("<span class=\"tok\" style=\"--a:0.38\"> on</span>") // 1.25 / 3.25
			.contains("<span class=\"tok\" style=\"--a:0.00\"> the</span>")
			.doesNotContain("<script>alert");
		assertThat(result.split("class=\"tok").length - 1).isEqualTo(4 + 1 + 3);
		assertThat(result).contains("density 1.25%").contains("label not scored");
	}

	@Test
	void aLabelMatchRanksAboveAFeatureWhoseDescriptionMentionsTheWords() {
		long sae = this.fixture.sae.getId();
		try {
			// the description repeats the word, so by text rank alone it would come first
			this.jdbc.update("INSERT INTO feature_label (sae_id, feature_index, label, description, explainer, scores) "
					+ "VALUES (?, 10, 'dialogue openings', 'giraffe giraffe giraffe, a giraffe', 'test', "
					+ "'{\"embedding\": {\"auroc\": 0.45}, \"detection\": {\"f1\": 0.8}}')", sae);
			this.jdbc.update("INSERT INTO feature_label (sae_id, feature_index, label, explainer) VALUES (?, 11, "
					+ "'giraffe necks', 'test')", sae);
			assertThat(this.labels.search("giraffe", sae, 10, 0)).extracting(LabelMatch::featureIndex).containsExactly(11, 10);
			String body = search("giraffe", this.fixture.model.getName() + "/res-1-64");
			assertThat(body.indexOf(this.fixture.featurePath(11))).isLessThan(body.indexOf(this.fixture.featurePath(10)));
			// scores as figures; AUROC at or below chance is flagged
			assertThat(body).contains("<span class=\"score-fact warn\" title=\"embedding AUROC of the label (0.5 = chance)\">AUROC 0.45</span>")
				.contains("detection F1 0.80");
		}
		finally {
			this.jdbc.update("DELETE FROM feature_label WHERE sae_id = ? AND feature_index IN (10, 11)", sae);
		}
	}

	private String search(String q, String sae) {
		String path = "/search?q=" + URLEncoder.encode(q, StandardCharsets.UTF_8)
				+ (sae == null ? "" : "&sae=" + URLEncoder.encode(sae, StandardCharsets.UTF_8));
		HttpResponse<String> page = this.client.get(path);
		assertThat(page.statusCode()).as(path).isEqualTo(200);
		return page.body();
	}
}
