package dev.lumen.webcache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.map.FeatureMapBuilder;
import dev.lumen.testing.FeatureFixture;
import dev.lumen.testing.SeededDatabaseTest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** ETags, revalidation and the rendered-answer cache of permalinks, and what a label or flag change invalidates. */
class PageCachingTest extends SeededDatabaseTest {

	@Autowired
	FeatureMapBuilder builder;

	@Autowired
	RenderedAnswers answers;

	final HttpClient http = HttpClient.newHttpClient();

	/** A feature whose page shows neither feature 7's label (as neighbour or co-occurring) nor is feature 3 or 7. */
	int unrelated;

	@BeforeEach
	void buildNeighbourLists() {
		this.builder.build(this.fixture.sae, FeatureMapBuilder.Options.defaults(), s -> { });
		this.unrelated = this.jdbc.queryForObject("SELECT min(feature_index) FROM feature_neighbour_list WHERE sae_id = ? "
				+ "AND feature_index NOT IN (3, 7) AND coalesce(array_position(neighbour_indices, 7), 99) > 10",
				Integer.class, this.fixture.sae.getId());
	}

	@Test
	void aFeaturePageHasAStrongEtagAndRevalidatesWithA304() {
		HttpResponse<String> first = get(this.fixture.featurePath(FeatureFixture.FEATURE), null);
		assertThat(first.statusCode()).isEqualTo(200);
		String etag = first.headers().firstValue("ETag").orElseThrow();
		assertThat(etag).startsWith("\"F-");
		assertThat(first.headers().firstValue("Cache-Control")).hasValue("public, no-cache");
		// the same bytes for every anonymous reader: no CSRF token, no session
		assertThat(first.body()).doesNotContain("name=\"_csrf\"");
		assertThat(first.headers().firstValue("Set-Cookie")).isEmpty();
		HttpResponse<String> again = get(this.fixture.featurePath(FeatureFixture.FEATURE), etag);
		assertThat(again.statusCode()).isEqualTo(304);
		assertThat(again.body()).isEmpty();
		assertThat(again.headers().firstValue("ETag")).hasValue(etag);
		HttpResponse<String> cached = get(this.fixture.featurePath(FeatureFixture.FEATURE), null);
		assertThat(cached.body()).isEqualTo(first.body());
		assertThat(this.answers.size()).isPositive();
	}

	@Test
	void aHeadRequestGetsTheSameEtagAndCachingHeadersAsAGetAndRevalidatesWithA304() {
		String page = this.fixture.featurePath(FeatureFixture.FEATURE);
		for (String path : new String[] { page, "/api" + page, this.fixture.saePath() + "/map" }) {
			HttpResponse<String> head = send(path, "HEAD", null);
			assertThat(head.statusCode()).as(path).isEqualTo(200);
			assertThat(head.body()).isEmpty();
			String etag = head.headers().firstValue("ETag").orElseThrow();
			HttpResponse<String> got = get(path, null);
			// HEAD before the page was ever rendered, and after: both answer with the GET's validator
			assertThat(got.headers().firstValue("ETag")).as(path).hasValue(etag);
			assertThat(send(path, "HEAD", null).headers().firstValue("ETag")).as(path).hasValue(etag);
			assertThat(head.headers().firstValue("Cache-Control")).isEqualTo(got.headers().firstValue("Cache-Control"));
			HttpResponse<String> revalidated = send(path, "HEAD", etag);
			assertThat(revalidated.statusCode()).as(path).isEqualTo(304);
			assertThat(revalidated.headers().firstValue("ETag")).hasValue(etag);
		}
		// a feature that does not exist: 404 and nothing a cache could keep
		HttpResponse<String> missing = send(this.fixture.featurePath(99_999), "HEAD", null);
		assertThat(missing.statusCode()).isEqualTo(404);
		assertThat(missing.headers().firstValue("ETag")).isEmpty();
	}

	@Test
	void aLabelChangeInvalidatesExactlyThePagesThatShowTheLabel() {
		String page3 = this.fixture.featurePath(FeatureFixture.FEATURE);
		String page7 = this.fixture.featurePath(FeatureFixture.TWIN);
		String other = this.fixture.featurePath(this.unrelated);
		String e3 = etag(page3), e7 = etag(page7), eOther = etag(other), eApi3 = etag("/api" + page3);
		this.jdbc.update("INSERT INTO feature_label (sae_id, feature_index, label, explainer) VALUES (?, ?, ?, 'test')",
				this.fixture.sae.getId(), FeatureFixture.TWIN, "Renamed twin <i>feature</i>");
		// feature 3 lists 7 as nearest neighbour and co-occurring: its page and JSON change, and show the new label
		HttpResponse<String> p3 = get(page3, e3);
		assertThat(p3.statusCode()).isEqualTo(200);
		assertThat(p3.body()).contains("Renamed twin &lt;i&gt;feature&lt;/i&gt;");
		assertThat(get("/api" + page3, eApi3).statusCode()).isEqualTo(200);
		assertThat(get(page7, e7).statusCode()).isEqualTo(200);
		// a page that does not show feature 7's label still revalidates
		assertThat(get(other, eOther).statusCode()).isEqualTo(304);
	}

	@Test
	void aBulkLabelWriteInvalidatesTheSamePagesAsASingleLabel() {
		String page3 = this.fixture.featurePath(FeatureFixture.FEATURE);
		String other = this.fixture.featurePath(this.unrelated);
		String e3 = etag(page3), eOther = etag(other);
		// more rows than the trigger's per-feature index path takes (V54): the bulk path, same pages
		this.jdbc.update("INSERT INTO feature_label (sae_id, feature_index, label, explainer) SELECT ?, ?, 'bulk ' || g, 'test' "
				+ "FROM generate_series(1, 600) g", this.fixture.sae.getId(), FeatureFixture.TWIN);
		assertThat(get(page3, e3).statusCode()).isEqualTo(200);
		assertThat(get(other, eOther).statusCode()).isEqualTo(304);
	}

	@Test
	void aFlagChangesTheFlaggedFeaturesPageOnly() {
		String page = this.fixture.featurePath(this.unrelated);
		String page3 = this.fixture.featurePath(FeatureFixture.FEATURE);
		String e = etag(page), e3 = etag(page3);
		this.jdbc.update("INSERT INTO flag (sae_id, feature_index, category, severity, state) VALUES (?, ?, 'OTHER', 'LOW', "
				+ "'OPEN')", this.fixture.sae.getId(), this.unrelated);
		assertThat(get(page, e).statusCode()).isEqualTo(200);
		assertThat(get(page3, e3).statusCode()).isEqualTo(304);
	}

	@Test
	void recomputingTheMapChangesEveryPageOfTheSae() {
		String page = this.fixture.featurePath(FeatureFixture.FEATURE);
		String e = etag(page), map = etag(this.fixture.saePath() + "/map");
		this.builder.build(this.fixture.sae, FeatureMapBuilder.Options.defaults(), s -> { });
		assertThat(get(page, e).statusCode()).isEqualTo(200);
		assertThat(get(this.fixture.saePath() + "/map", map).statusCode()).isEqualTo(200);
	}

	@Test
	void pagesWithAUserTextAreNotCachedAndNoPageIsCachedWhileItsSaeIsBeingExtracted() {
		HttpResponse<String> tried = get(this.fixture.featurePath(FeatureFixture.FEATURE) + "?interval=2", null);
		assertThat(tried.headers().firstValue("ETag")).isEmpty();
		this.jdbc.update("INSERT INTO job (kind, status, sae_id) VALUES ('extract', 'running', ?)", this.fixture.sae.getId());
		HttpResponse<String> during = get(this.fixture.featurePath(FeatureFixture.FEATURE), null);
		assertThat(during.statusCode()).isEqualTo(200);
		assertThat(during.headers().firstValue("ETag")).isEmpty();
		assertThat(during.headers().firstValue("Cache-Control")).hasValueSatisfying(c -> assertThat(c).contains("no-store"));
	}

	private String etag(String path) {
		HttpResponse<String> r = get(path, null);
		assertThat(r.statusCode()).as(path).isEqualTo(200);
		return r.headers().firstValue("ETag").orElseThrow();
	}

	private HttpResponse<String> get(String path, String ifNoneMatch) {
		return send(path, "GET", ifNoneMatch);
	}

	private HttpResponse<String> send(String path, String method, String ifNoneMatch) {
		HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
			.method(method, HttpRequest.BodyPublishers.noBody());
		if (ifNoneMatch != null) {
			b.header("If-None-Match", ifNoneMatch);
		}
		try {
			return this.http.send(b.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException | InterruptedException ex) {
			throw new IllegalStateException(ex);
		}
	}
}
