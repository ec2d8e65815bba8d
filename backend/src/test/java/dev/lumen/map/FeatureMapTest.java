package dev.lumen.map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.lumen.feature.FeatureNeighbour;
import dev.lumen.feature.FeatureNeighbourRepository;
import dev.lumen.testing.FeatureFixture;
import dev.lumen.testing.SeededDatabaseTest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** {@code lumen map}'s work on the seeded fixture: exact neighbour lists, the stored map, its pages and API. */
class FeatureMapTest extends SeededDatabaseTest {

	@Autowired
	FeatureMapBuilder builder;

	@Autowired
	FeatureNeighbourRepository neighbours;

	@Test
	void storedNeighbourListsAreTheExactCosineNeighboursOfEveryFeature() {
		FeatureMapBuilder.Outcome o = this.builder.build(this.fixture.sae, FeatureMapBuilder.Options.defaults(), s -> { });
		assertThat(o.features()).isEqualTo(FeatureFixture.D_SAE);
		float[][] dec = new float[FeatureFixture.D_SAE][];
		for (int i = 0; i < dec.length; i++) {
			dec[i] = this.neighbours.decoder(this.fixture.sae, i).orElseThrow();
		}
		for (int i = 0; i < dec.length; i++) {
			List<double[]> expected = new ArrayList<>();
			for (int j = 0; j < dec.length; j++) {
				if (j != i) {
					expected.add(new double[] { j, FeatureFixture.cosine(dec[i], dec[j]) });
				}
			}
			expected.sort(Comparator.comparingDouble((double[] a) -> -a[0 + 1]));
			Integer[] stored = this.jdbc.queryForObject("SELECT neighbour_indices FROM feature_neighbour_list WHERE sae_id = ? "
					+ "AND feature_index = ?", (rs, n) -> (Integer[]) rs.getArray(1).getArray(), this.fixture.sae.getId(), i);
			assertThat(stored).hasSize(FeatureMapBuilder.STORED_NEIGHBOURS);
			for (int r = 0; r < stored.length; r++) {
				assertThat(stored[r]).as("feature %d rank %d", i, r).isEqualTo((int) expected.get(r)[0]);
			}
		}
		List<FeatureNeighbour> near = this.neighbours.neighboursOf(this.fixture.sae, FeatureFixture.FEATURE, 10);
		assertThat(near.get(0).featureIndex()).isEqualTo(FeatureFixture.TWIN);
		assertThat(near.get(0).cosine()).isCloseTo(FeatureFixture.cosine(dec[FeatureFixture.FEATURE], dec[FeatureFixture.TWIN]),
				within(1e-5));
	}

	@Test
	void pagesReadTheStoredListAndQueryTheIndexOnlyWhenItIsMissing() {
		this.builder.build(this.fixture.sae, FeatureMapBuilder.Options.defaults(), s -> { });
		long sae = this.fixture.sae.getId();
		// a stored list the index would never give: the page shows it
		this.jdbc.update("UPDATE feature_neighbour_list SET neighbour_indices = '{40,41}', cosines = '{0.25,0.125}' "
				+ "WHERE sae_id = ? AND feature_index = ?", sae, FeatureFixture.FEATURE);
		this.jdbc.update("UPDATE sae_page_version SET content = content + 1 WHERE sae_id = ?", sae);
		String body = this.client.get(this.fixture.featurePath(FeatureFixture.FEATURE)).body();
		assertThat(body).containsPattern("(?s)id=\"neighbours\".*?href=\"" + this.fixture.featurePath(40) + "\".*?0\\.250");
		this.jdbc.update("DELETE FROM feature_neighbour_list WHERE sae_id = ? AND feature_index = ?", sae, FeatureFixture.FEATURE);
		this.jdbc.update("UPDATE sae_page_version SET content = content + 1 WHERE sae_id = ?", sae);
		body = this.client.get(this.fixture.featurePath(FeatureFixture.FEATURE)).body();
		assertThat(body).containsPattern("(?s)id=\"neighbours\".*?href=\"" + this.fixture.featurePath(FeatureFixture.TWIN) + "\"");
	}

	@Test
	void theMapIsStoredForEveryFeatureAndTheSameSeedGivesTheSameMap() {
		this.builder.build(this.fixture.sae, FeatureMapBuilder.Options.defaults(), s -> { });
		long sae = this.fixture.sae.getId();
		List<float[]> first = points(sae);
		assertThat(first).hasSize(FeatureFixture.D_SAE);
		for (float[] p : first) {
			assertThat(p[0]).isBetween(0f, 1000f);
			assertThat(p[1]).isBetween(0f, 1000f);
		}
		this.builder.build(this.fixture.sae, FeatureMapBuilder.Options.defaults(), s -> { });
		List<float[]> second = points(sae);
		for (int i = 0; i < first.size(); i++) {
			assertThat(second.get(i)).containsExactly(first.get(i));
		}
		assertThat(this.jdbc.queryForObject("SELECT method FROM sae_map WHERE sae_id = ?", String.class, sae))
			.startsWith("umap(n_neighbors=15,min_dist=0.1,epochs=500,init=spectral)+kmeans++(k=2)");
	}

	@Test
	void mapPageDrawsLinkedPointsWithEscapedLabelsAndHighlightsSearchMatches() {
		this.builder.build(this.fixture.sae, FeatureMapBuilder.Options.defaults(), s -> { });
		HttpResponse<String> page = this.client.get(this.fixture.saePath() + "/map?q=twin&feature=3");
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.body()).contains("<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"feature-map\"")
			.contains("<a href=\"" + this.fixture.featurePath(FeatureFixture.FEATURE) + "\">")
			.contains("<title>#3 Script tags &amp; feline nouns</title>")
			.containsPattern("class=\"match\" data-i=\"7\"><title>#7 Twin of the script feature</title>")
			.contains("1 features match “twin”")
			.contains("class=\"map-current\"")
			.contains("Feature 3 is ringed");
		assertThat(this.client.get(this.fixture.saePath() + "/map?colour=density").body())
			.contains("<option value=\"density\" selected=\"selected\">");
		assertThat(this.client.get(this.fixture.saePath() + "/map?colour=rainbow").statusCode()).isEqualTo(400);
	}

	@Test
	void anSaeWithoutAMapSaysHowToComputeItAndItsPictureSaysSoToo() {
		String wide = "/" + this.fixture.model.getName() + "/res-1-128";
		assertThat(this.client.get(wide + "/map").body()).contains("id=\"no-map\"")
			.contains("lumen map --model-name " + this.fixture.model.getName() + " --sae-name res-1-128");
		HttpResponse<String> picture = this.client.get(wide + "/3/map.svg");
		assertThat(picture.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("image/svg+xml"));
		assertThat(picture.body()).contains("No map yet");
		assertThat(this.client.get("/api" + wide + "/map").statusCode()).isEqualTo(404);
	}

	@Test
	void featureAndSaePagesShowTheSmallMapAndThePictureMarksTheFeatureAndItsNeighbours() {
		this.builder.build(this.fixture.sae, FeatureMapBuilder.Options.defaults(), s -> { });
		assertThat(this.client.get(this.fixture.featurePath(FeatureFixture.FEATURE)).body())
			.contains("<img src=\"" + this.fixture.featurePath(FeatureFixture.FEATURE) + "/map.svg\"")
			.contains("href=\"" + this.fixture.saePath() + "/map?feature=3\"");
		assertThat(this.client.get(this.fixture.saePath()).body()).contains("<img src=\"" + this.fixture.saePath() + "/map.svg\"");
		String svg = this.client.get(this.fixture.featurePath(FeatureFixture.FEATURE) + "/map.svg").body();
		// 10 neighbours in orange, the feature in red with its ring
		assertThat(svg.split("fill=\"#f28e2b\"", -1)).hasSize(11);
		assertThat(svg).contains("stroke=\"#d62728\"");
	}

	@Test
	void theJsonApiGivesEveryPointTheClustersAndAFeaturesPlaceWithItsNeighbours() {
		this.builder.build(this.fixture.sae, FeatureMapBuilder.Options.defaults(), s -> { });
		String api = "/api" + this.fixture.saePath();
		String map = this.client.get(api + "/map").body();
		assertThat(map).contains("\"features\":64").contains("\"clusters\":[{\"id\":0,");
		assertThat(map.substring(map.indexOf("\"index\":[") + 9, map.indexOf(']', map.indexOf("\"index\":[")))
			.split(",")).hasSize(64);
		String feature = this.client.get(api + "/3/map").body();
		assertThat(feature).startsWith("{\"index\":3,").contains("\"neighbours\":[{\"index\":7,");
		String points = this.client.get(api + "/map/points?x0=0&y0=0&x1=1000&y1=1000&q=script").body();
		assertThat(points).contains("\"total\":64").contains("\"label\":\"Script tags & feline nouns\"");
		assertThat(this.client.get(api + "/map/points?x0=5&x1=1").statusCode()).isEqualTo(400);
	}

	private List<float[]> points(long sae) {
		return this.jdbc.query("SELECT x, y FROM feature_map_point WHERE sae_id = ? ORDER BY feature_index",
				(rs, n) -> new float[] { rs.getFloat(1), rs.getFloat(2) }, sae);
	}
}
