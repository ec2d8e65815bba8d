package dev.lumen.map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.lumen.feature.FeatureNeighbourRepository;
import dev.lumen.testing.FeatureFixture;
import dev.lumen.testing.SeededDatabaseTest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Nearest features in sibling SAEs (the fixture's two SAEs share a hook): stored exactly by {@code lumen map} in
 * both directions, read by pages without a vector query, and computed once through HNSW where none is current.
 */
class SiblingNeighbourListTest extends SeededDatabaseTest {

	@Autowired
	FeatureMapBuilder builder;

	@Autowired
	FeatureNeighbourRepository neighbours;

	@Test
	void mappingAnSaeStoresTheExactNeighboursInItsSiblingInBothDirections() {
		this.builder.build(this.fixture.sae, FeatureMapBuilder.Options.defaults(), s -> { });
		long small = this.fixture.sae.getId(), wide = this.fixture.wide.getId();
		assertExact(small, FeatureFixture.D_SAE, wide, FeatureFixture.WIDE_D_SAE);
		assertExact(wide, FeatureFixture.WIDE_D_SAE, small, FeatureFixture.D_SAE);
		Integer[] nearest = this.jdbc.queryForObject("SELECT neighbour_indices FROM feature_sibling_neighbour_list WHERE "
				+ "sae_id = ? AND feature_index = ? AND sibling_sae_id = ?", (rs, n) -> (Integer[]) rs.getArray(1).getArray(),
				small, FeatureFixture.FEATURE, wide);
		assertThat(nearest[0]).isEqualTo(FeatureFixture.WIDE_TWIN);
	}

	@Test
	void aPageListsTheStoredSiblingNeighboursWithoutAVectorQuery() {
		this.builder.build(this.fixture.sae, FeatureMapBuilder.Options.defaults(), s -> { });
		long small = this.fixture.sae.getId(), wide = this.fixture.wide.getId();
		// a stored list no index would give, and no decoder to query with: the page can only have read the list
		this.jdbc.update("UPDATE feature_sibling_neighbour_list SET neighbour_indices = '{100,101}', cosines = '{0.25,0.125}' "
				+ "WHERE sae_id = ? AND feature_index = ? AND sibling_sae_id = ?", small, FeatureFixture.FEATURE, wide);
		this.jdbc.update("DELETE FROM feature_decoder WHERE sae_id = ? AND feature_index = ?", small, FeatureFixture.FEATURE);
		String body = this.client.get(this.fixture.featurePath(FeatureFixture.FEATURE)).body();
		assertThat(body).containsPattern("(?s)class=\"sibling\".*?href=\"/" + this.fixture.model.getName()
				+ "/res-1-128/100\".*?0\\.250");
	}

	@Test
	void withoutACurrentListThePageQueriesTheSiblingOnceAndStoresTheAnswer() {
		long small = this.fixture.sae.getId(), wide = this.fixture.wide.getId();
		String page = this.fixture.featurePath(FeatureFixture.FEATURE);
		assertThat(count(small, wide)).isZero();
		assertThat(this.client.get(page).body()).containsPattern("(?s)class=\"sibling\".*?href=\"/"
				+ this.fixture.model.getName() + "/res-1-128/" + FeatureFixture.WIDE_TWIN + "\"");
		assertThat(this.jdbc.queryForObject("SELECT neighbour_indices[1] FROM feature_sibling_neighbour_list WHERE sae_id = ? "
				+ "AND feature_index = ? AND sibling_sae_id = ? AND NOT exact", Integer.class, small, FeatureFixture.FEATURE, wide))
			.isEqualTo(FeatureFixture.WIDE_TWIN);
		// the sibling is extracted again: the list computed against its old content is not used any more
		this.jdbc.update("INSERT INTO sae_page_version (sae_id, content) VALUES (?, 5) ON CONFLICT (sae_id) "
				+ "DO UPDATE SET content = 5", wide);
		this.jdbc.update("UPDATE feature_sibling_neighbour_list SET neighbour_indices = '{100}', cosines = '{0.25}' "
				+ "WHERE sae_id = ? AND sibling_sae_id = ?", small, wide);
		assertThat(this.client.get(page).body()).doesNotContain("/res-1-128/100\"")
			.contains("/res-1-128/" + FeatureFixture.WIDE_TWIN + "\"");
		assertThat(this.jdbc.queryForObject("SELECT sibling_content FROM feature_sibling_neighbour_list WHERE sae_id = ? "
				+ "AND feature_index = ? AND sibling_sae_id = ?", Long.class, small, FeatureFixture.FEATURE, wide)).isEqualTo(5);
	}

	/** Every stored list from {@code sae} into {@code sibling} equals the brute-force cosine ranking. */
	private void assertExact(long sae, int n, long sibling, int siblingN) {
		assertThat(count(sae, sibling)).isEqualTo(n);
		float[][] own = decoders(sae, n), other = decoders(sibling, siblingN);
		for (int i = 0; i < n; i++) {
			List<double[]> expected = new ArrayList<>();
			for (int j = 0; j < siblingN; j++) {
				expected.add(new double[] { j, FeatureFixture.cosine(own[i], other[j]) });
			}
			expected.sort(Comparator.comparingDouble((double[] a) -> -a[1]));
			final int row = i;
			List<Object[]> stored = this.jdbc.query("SELECT neighbour_indices, cosines, exact FROM feature_sibling_neighbour_list "
					+ "WHERE sae_id = ? AND feature_index = ? AND sibling_sae_id = ?", (rs, k) -> new Object[] {
						rs.getArray(1).getArray(), rs.getArray(2).getArray(), rs.getBoolean(3) }, sae, row, sibling);
			Integer[] ix = (Integer[]) stored.get(0)[0];
			Float[] cos = (Float[]) stored.get(0)[1];
			assertThat(stored.get(0)[2]).isEqualTo(true);
			assertThat(ix).hasSize(SiblingNeighbourLists.STORED);
			for (int r = 0; r < ix.length; r++) {
				assertThat(ix[r]).as("SAE %d feature %d rank %d", sae, row, r).isEqualTo((int) expected.get(r)[0]);
				assertThat((double) cos[r]).isCloseTo(expected.get(r)[1], within(1e-5));
			}
		}
	}

	private float[][] decoders(long saeId, int n) {
		var sae = saeId == this.fixture.sae.getId() ? this.fixture.sae : this.fixture.wide;
		float[][] out = new float[n][];
		for (int i = 0; i < n; i++) {
			out[i] = this.neighbours.decoder(sae, i).orElseThrow();
		}
		return out;
	}

	private int count(long sae, long sibling) {
		Integer c = this.jdbc.queryForObject("SELECT count(*) FROM feature_sibling_neighbour_list WHERE sae_id = ? "
				+ "AND sibling_sae_id = ?", Integer.class, sae, sibling);
		return c == null ? 0 : c;
	}
}
