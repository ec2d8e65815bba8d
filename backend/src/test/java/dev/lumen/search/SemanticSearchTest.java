package dev.lumen.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pgvector.PGvector;
import dev.lumen.autointerp.Explanation;
import dev.lumen.autointerp.LabelStore;
import dev.lumen.embedding.LabelEmbeddings;
import dev.lumen.review.FeatureLabelEditor;
import dev.lumen.review.ReviewFeature;
import dev.lumen.testing.FeatureFixture;
import dev.lumen.testing.SeededDatabaseTest;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Semantic search over labels with the real local MiniLM and real vectors in pgvector: ranking, the backfill of
 * missing and stale vectors, labels written by autointerp, the page and the JSON API.
 */
class SemanticSearchTest extends SeededDatabaseTest {

	static final int DOGS = 11;

	static final int PUNCTUATION = 12;

	@Autowired
	LabelEmbeddings embeddings;

	@Autowired
	SemanticSearchRepository semantic;

	@Autowired
	LabelStore labelStore;

	@Autowired
	FeatureLabelEditor labelEditor;

	@Test
	void animalsRanksDogsAndCatsAbovePunctuationWithTheExactCosine() {
		label(this.fixture.sae.getId(), DOGS, "dogs and cats");
		label(this.fixture.sae.getId(), PUNCTUATION, "punctuation at end of sentence");
		this.embeddings.backfill(this.fixture.sae.getId(), n -> {
		});

		List<LabelMatch> matches = this.semantic.search("animals", this.fixture.sae.getId(), 10, 0);

		List<Integer> order = matches.stream().map(LabelMatch::featureIndex).toList();
		assertThat(order).contains(DOGS, PUNCTUATION);
		assertThat(order.indexOf(DOGS)).isLessThan(order.indexOf(PUNCTUATION));
		// the scores are the cosines of the embeddings, recomputed here in plain Java
		float[] query = this.embeddings.embed("animals");
		assertThat(score(matches, DOGS)).isCloseTo(FeatureFixture.cosine(query, this.embeddings.embed("dogs and cats")), within(1e-5));
		assertThat(score(matches, PUNCTUATION)).isCloseTo(
				FeatureFixture.cosine(query, this.embeddings.embed("punctuation at end of sentence")), within(1e-5));
		assertThat(score(matches, DOGS) - score(matches, PUNCTUATION)).isGreaterThan(0.2);
	}

	@Test
	void aScopedSearchOnlyReturnsFeaturesOfThatSae() {
		label(this.fixture.sae.getId(), DOGS, "dogs and cats");
		label(this.fixture.wide.getId(), DOGS, "puppies and kittens");
		this.embeddings.backfill(null, n -> {
		});

		assertThat(this.semantic.search("pets", this.fixture.wide.getId(), 10, 0)).extracting(LabelMatch::saeName)
			.containsOnly("res-1-128");
		assertThat(this.semantic.search("pets", null, 10, 0)).extracting(LabelMatch::saeName)
			.contains("res-1-64", "res-1-128");
	}

	@Test
	void backfillReEmbedsALabelThatChangedAndSearchSkipsTheStaleVectorMeanwhile() {
		long saeId = this.fixture.sae.getId();
		label(saeId, DOGS, "dogs and cats");
		// the fixture's own labels (features 3 and 7) and this one
		assertThat(this.embeddings.backfill(saeId, n -> {
		})).isEqualTo(3);
		assertThat(this.embeddings.countPending(saeId)).isZero();

		label(saeId, DOGS, "commas and full stops");
		assertThat(this.embeddings.countPending(saeId)).isEqualTo(1);
		// the stored vector still describes "dogs and cats": not shown next to the new label
		assertThat(this.semantic.search("animals", saeId, 10, 0)).extracting(LabelMatch::featureIndex).doesNotContain(DOGS);

		assertThat(this.embeddings.backfill(saeId, n -> {
		})).isEqualTo(1);
		assertThat(this.embeddings.countPending(saeId)).isZero();
		assertThat(storedHash(saeId, DOGS)).isEqualTo(LabelEmbeddings.hash("commas and full stops"));
		assertThat(FeatureFixture.cosine(storedVector(saeId, DOGS), this.embeddings.embed("commas and full stops"))).isCloseTo(1.0,
				within(1e-5));
		assertThat(this.semantic.search("punctuation", saeId, 10, 0).get(0).featureIndex()).isEqualTo(DOGS);
	}

	@Test
	void aLabelWrittenByAutointerpIsEmbeddedAtOnce() {
		long saeId = this.fixture.sae.getId();
		this.labelStore.store(saeId, DOGS, new Explanation("rain and stormy weather", "d", "test", false), Map.of(), null,
				List.of());

		assertThat(storedHash(saeId, DOGS)).isEqualTo(LabelEmbeddings.hash("rain and stormy weather"));
		assertThat(this.semantic.search("thunderstorm", saeId, 1, 0)).extracting(LabelMatch::featureIndex)
			.containsExactly(DOGS);
	}

	@Test
	void aReviewersCorrectedLabelIsEmbeddedAtOnce() {
		long saeId = this.fixture.sae.getId();
		this.labelEditor.setLabel("test-reviewer", new ReviewFeature(saeId, PUNCTUATION, this.fixture.model.getName(),
				this.fixture.sae.getName(), null), "kittens and puppies");

		assertThat(storedHash(saeId, PUNCTUATION)).isEqualTo(LabelEmbeddings.hash("kittens and puppies"));
		assertThat(this.semantic.search("young pets", saeId, 1, 0)).extracting(LabelMatch::featureIndex)
			.containsExactly(PUNCTUATION);
	}

	@Test
	void theSearchPageRanksByMeaningShowsScoresAndEscapesLabels() {
		label(this.fixture.sae.getId(), DOGS, "<script>alert('dogs')</script> and cats");
		label(this.fixture.sae.getId(), PUNCTUATION, "punctuation at end of sentence");
		this.embeddings.backfill(this.fixture.sae.getId(), n -> {
		});

		String body = get("/search?mode=semantic&q=animals&sae="
				+ URLEncoder.encode(this.fixture.model.getName() + "/res-1-64", StandardCharsets.UTF_8));
		assertThat(body).doesNotContain("<script>alert('dogs')</script>")
			.contains("&lt;script&gt;alert(&#39;dogs&#39;)&lt;/script&gt; and cats")
			.contains("id=\"semantic-hint\"")
			.contains("class=\"score\"");
		assertThat(body.indexOf(this.fixture.featurePath(DOGS) + "\""))
			.isLessThan(body.indexOf(this.fixture.featurePath(PUNCTUATION) + "\""));
	}

	@Test
	void theJsonApiReturnsSemanticMatchesBestFirst() throws Exception {
		label(this.fixture.sae.getId(), DOGS, "dogs and cats");
		label(this.fixture.sae.getId(), PUNCTUATION, "punctuation at end of sentence");
		this.embeddings.backfill(this.fixture.sae.getId(), n -> {
		});

		JsonNode json = new ObjectMapper().readTree(get("/api/search?mode=semantic&q=animals&sae="
				+ URLEncoder.encode(this.fixture.model.getName() + "/res-1-64", StandardCharsets.UTF_8)));
		assertThat(json.get("mode").asText()).isEqualTo("semantic");
		JsonNode first = json.get("matches").get(0);
		assertThat(first.get("featureIndex").asInt()).isEqualTo(DOGS);
		assertThat(first.get("score").asDouble()).isCloseTo(
				FeatureFixture.cosine(this.embeddings.embed("animals"), this.embeddings.embed("dogs and cats")), within(1e-5));
		double previous = Double.MAX_VALUE;
		for (JsonNode m : json.get("matches")) {
			assertThat(m.get("score").asDouble()).isLessThanOrEqualTo(previous);
			previous = m.get("score").asDouble();
		}
	}

	private void label(long saeId, int index, String label) {
		this.jdbc.update("INSERT INTO feature_label (sae_id, feature_index, label, explainer) VALUES (?, ?, ?, 'test')",
				saeId, index, label);
	}

	private String get(String path) {
		HttpResponse<String> response = this.client.get(path);
		assertThat(response.statusCode()).as(path).isEqualTo(200);
		return response.body();
	}

	private byte[] storedHash(long saeId, int index) {
		return this.jdbc.queryForObject("SELECT text_hash FROM label_embedding WHERE sae_id = ? AND feature_index = ?",
				byte[].class, saeId, index);
	}

	private float[] storedVector(long saeId, int index) throws RuntimeException {
		String text = this.jdbc.queryForObject("SELECT embedding::text FROM label_embedding WHERE sae_id = ? AND feature_index = ?",
				String.class, saeId, index);
		try {
			return new PGvector(text).toArray();
		}
		catch (java.sql.SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static double score(List<LabelMatch> matches, int index) {
		return matches.stream().filter(m -> m.featureIndex() == index).findFirst().orElseThrow().score();
	}
}
