package dev.lumen.map;

import dev.lumen.catalog.CatalogSae;
import dev.lumen.engine.knn.CosineNeighbours;
import dev.lumen.map.DecoderMatrixReader.DecoderMatrix;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Exact nearest decoder directions across sibling SAEs (same model, hook and d_in), in both directions: for
 * every feature of the SAE being mapped its nearest features in each sibling, and for every feature of each
 * sibling its nearest in this SAE. Feature pages list them ({@code feature_sibling_neighbour_list}, V53) instead of
 * querying the siblings' HNSW indexes per view. Runs inside {@link FeatureMapBuilder}'s transaction, after this
 * SAE's content version was bumped, so both directions are stored against the versions pages will compare.
 */
@Component
class SiblingNeighbourLists {

	/** Stored per feature and sibling: pages show 5. */
	static final int STORED = 10;

	private final DecoderMatrixReader reader;

	private final FeatureMapStore store;

	private final JdbcTemplate jdbc;

	SiblingNeighbourLists(DecoderMatrixReader reader, FeatureMapStore store, JdbcTemplate jdbc) {
		this.reader = reader;
		this.store = store;
		this.jdbc = jdbc;
	}

	/** One sibling's lists, both directions, as row numbers of the other matrix. */
	record Computed(long siblingId, int[] siblingIndices, CosineNeighbours.Result ownToSibling,
			CosineNeighbours.Result siblingToOwn) {
	}

	/**
	 * Computes both directions for every sibling that has decoder vectors (outside any transaction: the products
	 * take as long as the SAE's own neighbour lists per sibling).
	 * @param own the decoder matrix of {@code sae}, already read
	 */
	List<Computed> compute(CatalogSae sae, DecoderMatrix own, String device, Consumer<String> progress) {
		List<long[]> siblings = this.jdbc.query("SELECT s.id, (SELECT count(*) FROM feature_decoder d WHERE d.sae_id = s.id) "
				+ "FROM sae s JOIN sae a ON a.id = ? WHERE s.model_id = a.model_id AND s.hook_name = a.hook_name "
				+ "AND s.d_in = a.d_in AND s.id <> a.id ORDER BY s.id", (rs, n) -> new long[] { rs.getLong(1), rs.getLong(2) },
				sae.getId());
		List<Computed> out = new ArrayList<>();
		for (long[] s : siblings) {
			if (s[1] == 0) {
				continue;
			}
			progress.accept(String.format("exact neighbours across sibling SAE id %d (%,d features)", s[0], s[1]));
			DecoderMatrix other = this.reader.read(s[0], own.d(), (int) s[1]);
			out.add(new Computed(s[0], other.featureIndices(),
					CosineNeighbours.across(own.rows(), own.n(), other.rows(), other.n(), own.d(), Math.min(STORED, other.n()),
							device),
					CosineNeighbours.across(other.rows(), other.n(), own.rows(), own.n(), own.d(), Math.min(STORED, own.n()),
							device)));
		}
		return out;
	}

	/** Stores what {@link #compute} found, each direction against the other SAE's present content version. */
	void store(long saeId, int[] ownIndices, List<Computed> computed) {
		for (Computed c : computed) {
			this.store.writeSiblingNeighbours(saeId, ownIndices, c.siblingId(), c.siblingIndices(), c.ownToSibling(),
					contentVersion(c.siblingId()));
			this.store.writeSiblingNeighbours(c.siblingId(), c.siblingIndices(), saeId, ownIndices, c.siblingToOwn(),
					contentVersion(saeId));
		}
	}

	private long contentVersion(long saeId) {
		Long v = this.jdbc.queryForObject("SELECT coalesce((SELECT content FROM sae_page_version WHERE sae_id = ?), 1)",
				Long.class, saeId);
		return v == null ? 1 : v;
	}
}
