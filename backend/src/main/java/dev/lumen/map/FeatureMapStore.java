package dev.lumen.map;

import dev.lumen.engine.knn.CosineNeighbours;
import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.stereotype.Component;

/**
 * Writes an SAE's neighbour lists, map points and map summary with COPY, replacing what was there, and bumps
 * the SAE's content version so cached pages and ETags change. Callers run it in one transaction.
 */
@Component
class FeatureMapStore {

	private static final int ROWS_PER_COPY = 5000;

	private final DataSource dataSource;

	private final JdbcTemplate jdbc;

	FeatureMapStore(DataSource dataSource, JdbcTemplate jdbc) {
		this.dataSource = dataSource;
		this.jdbc = jdbc;
	}

	/** Replaces the neighbour lists; {@code neighbours} holds row numbers, stored as feature indices. */
	void writeNeighbours(long saeId, int[] featureIndices, CosineNeighbours.Result neighbours) {
		this.jdbc.update("DELETE FROM feature_neighbour_list WHERE sae_id = ?", saeId);
		copy("COPY feature_neighbour_list (sae_id, feature_index, neighbour_indices, cosines) FROM STDIN",
				featureIndices.length, (row, text) -> {
					text.append(saeId).append('\t').append(featureIndices[row]).append("\t{");
					for (int r = 0; r < neighbours.k(); r++) {
						text.append(r == 0 ? "" : ",").append(featureIndices[neighbours.index(row, r)]);
					}
					text.append("}\t{");
					for (int r = 0; r < neighbours.k(); r++) {
						text.append(r == 0 ? "" : ",").append(neighbours.cosine(row, r));
					}
					text.append("}\n");
				});
	}

	/**
	 * Replaces the exact lists of {@code saeId}'s features in sibling {@code siblingId}; {@code neighbours} holds
	 * row numbers of the sibling's matrix, stored as its feature indices.
	 * @param siblingContent the sibling's content version the lists were computed against
	 */
	void writeSiblingNeighbours(long saeId, int[] featureIndices, long siblingId, int[] siblingIndices,
			CosineNeighbours.Result neighbours, long siblingContent) {
		this.jdbc.update("DELETE FROM feature_sibling_neighbour_list WHERE sae_id = ? AND sibling_sae_id = ?", saeId,
				siblingId);
		copy("COPY feature_sibling_neighbour_list (sae_id, feature_index, sibling_sae_id, sibling_content, exact, "
				+ "neighbour_indices, cosines) FROM STDIN", featureIndices.length, (row, text) -> {
					text.append(saeId).append('\t').append(featureIndices[row]).append('\t').append(siblingId).append('\t')
						.append(siblingContent).append("\tt\t{");
					for (int r = 0; r < neighbours.k(); r++) {
						text.append(r == 0 ? "" : ",").append(siblingIndices[neighbours.index(row, r)]);
					}
					text.append("}\t{");
					for (int r = 0; r < neighbours.k(); r++) {
						text.append(r == 0 ? "" : ",").append(neighbours.cosine(row, r));
					}
					text.append("}\n");
				});
	}

	/** Replaces the map points and summary. */
	void writeMap(long saeId, int[] featureIndices, float[] xy, MapClusters.Result clusters, String method, long seed,
			int laidOut, double seconds) {
		this.jdbc.update("DELETE FROM feature_map_point WHERE sae_id = ?", saeId);
		copy("COPY feature_map_point (sae_id, feature_index, x, y, cluster) FROM STDIN", featureIndices.length,
				(row, text) -> text.append(saeId).append('\t').append(featureIndices[row]).append('\t').append(xy[2 * row])
					.append('\t').append(xy[2 * row + 1]).append('\t').append(clusters.assignment()[row]).append('\n'));
		StringBuilder json = new StringBuilder("[");
		for (int c = 0; c < clusters.count(); c++) {
			json.append(c == 0 ? "" : ",").append("{\"id\":").append(c).append(",\"size\":").append(clusters.sizes()[c])
				.append(",\"x\":").append(clusters.centres()[2 * c]).append(",\"y\":").append(clusters.centres()[2 * c + 1])
				.append('}');
		}
		json.append(']');
		this.jdbc.update("INSERT INTO sae_map (sae_id, method, seed, n_features, n_laid_out, clusters, seconds) "
				+ "VALUES (?, ?, ?, ?, ?, ?::jsonb, ?) ON CONFLICT (sae_id) DO UPDATE SET method = EXCLUDED.method, "
				+ "seed = EXCLUDED.seed, n_features = EXCLUDED.n_features, n_laid_out = EXCLUDED.n_laid_out, "
				+ "clusters = EXCLUDED.clusters, seconds = EXCLUDED.seconds, computed_at = now()", saeId, method, seed,
				featureIndices.length, laidOut, json.toString(), seconds);
	}

	/** Every page of the SAE shows new content: new ETags, cached renderings dropped. */
	void bumpContent(long saeId) {
		this.jdbc.update("INSERT INTO sae_page_version (sae_id, content) VALUES (?, 2) ON CONFLICT (sae_id) "
				+ "DO UPDATE SET content = sae_page_version.content + 1", saeId);
	}

	/** Removes an SAE's map and neighbour lists (pages fall back to live HNSW neighbours). */
	void clear(long saeId) {
		this.jdbc.update("DELETE FROM feature_sibling_neighbour_list WHERE sae_id = ? OR sibling_sae_id = ?", saeId, saeId);
		for (String table : List.of("feature_neighbour_list", "feature_map_point", "sae_map")) {
			this.jdbc.update("DELETE FROM " + table + " WHERE sae_id = ?", saeId);
		}
	}

	private interface RowWriter {
		void write(int row, StringBuilder text);
	}

	private void copy(String sql, int rows, RowWriter writer) {
		Connection connection = DataSourceUtils.getConnection(this.dataSource);
		try {
			var copy = connection.unwrap(PGConnection.class).getCopyAPI();
			for (int from = 0; from < rows; from += ROWS_PER_COPY) {
				StringBuilder text = new StringBuilder(1 << 16);
				for (int row = from; row < Math.min(rows, from + ROWS_PER_COPY); row++) {
					writer.write(row, text);
				}
				copy.copyIn(sql, new StringReader(text.toString()));
			}
		}
		catch (SQLException | IOException ex) {
			throw new DataAccessResourceFailureException(sql + " failed: " + ex.getMessage(), ex);
		}
		finally {
			DataSourceUtils.releaseConnection(connection, this.dataSource);
		}
	}
}
