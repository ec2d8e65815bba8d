package dev.lumen.interop;

import dev.lumen.interop.ImportTargets.Target;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes one file's imported features in one transaction: feature rows (statistics), examples with their
 * contexts, histogram, logit effects, labels and the {@code feature_source} row. Pages read a feature either
 * before or after, never half-written; a file already imported with the same content is skipped, so an import
 * killed midway resumes by running it again.
 */
@Component
class ImportWriter {

	private final JdbcTemplate jdbc;

	private final TransactionTemplate tx;

	ImportWriter(JdbcTemplate jdbc, PlatformTransactionManager transactionManager) {
		this.jdbc = jdbc;
		this.tx = new TransactionTemplate(transactionManager);
	}

	/** What happened to one file. */
	record Outcome(int written, boolean skipped) {
	}

	/**
	 * @param origin the file the features come from (with {@code contentId}, its SHA-256)
	 * @param replace overwrite features that already hold data instead of refusing
	 */
	Outcome write(Target target, String source, String origin, String contentId, List<ImportedFeature> features,
			boolean replace) {
		return this.tx.execute(status -> {
			long saeId = target.sae().getId();
			int[] indices = features.stream().mapToInt(ImportedFeature::index).toArray();
			checkRange(target, indices);
			if (alreadyImported(saeId, indices, contentId)) {
				return new Outcome(0, true);
			}
			List<Integer> clashes = clashes(saeId, indices);
			if (!clashes.isEmpty() && !replace) {
				throw new IllegalStateException(origin + ": feature" + (clashes.size() > 1 ? "s " : " ")
						+ clashes.stream().limit(20).map(String::valueOf).collect(Collectors.joining(", "))
						+ (clashes.size() > 20 ? " …" : "") + " of SAE '" + target.sae().getName()
						+ "' already hold data (extracted or imported); pass --replace to overwrite them, "
						+ "or import into another --sae");
			}
			clear(saeId, indices);
			Map<String, Integer> vocab = vocabulary(target, features, origin);
			for (ImportedFeature f : features) {
				writeFeature(target, source, origin, contentId, f, vocab);
			}
			return new Outcome(features.size(), false);
		});
	}

	private void checkRange(Target target, int[] indices) {
		for (int i : indices) {
			if (i >= target.sae().getDSae()) {
				throw new IllegalArgumentException("feature " + i + " is outside SAE '" + target.sae().getName()
						+ "' (d_sae = " + target.sae().getDSae() + "); is this the right --sae?");
			}
		}
	}

	private boolean alreadyImported(long saeId, int[] indices, String contentId) {
		Integer n = this.jdbc.query(con -> withArray(con.prepareStatement("SELECT count(*) FROM feature_source "
				+ "WHERE sae_id = ? AND feature_index = ANY(?) AND detail->>'content_sha256' = ?"), saeId, indices,
				contentId), rs -> rs.next() ? rs.getInt(1) : 0);
		return n != null && n == indices.length && indices.length > 0;
	}

	private List<Integer> clashes(long saeId, int[] indices) {
		return this.jdbc.query(con -> withArray(con.prepareStatement("SELECT f.feature_index FROM feature f "
				+ "WHERE f.sae_id = ? AND f.feature_index = ANY(?) AND (f.density IS NOT NULL "
				+ "OR EXISTS (SELECT 1 FROM feature_example e WHERE e.sae_id = f.sae_id AND e.feature_index = f.feature_index) "
				+ "OR EXISTS (SELECT 1 FROM feature_source s WHERE s.sae_id = f.sae_id AND s.feature_index = f.feature_index)) "
				+ "ORDER BY 1"), saeId, indices, null), (rs, n) -> rs.getInt(1));
	}

	private void clear(long saeId, int[] indices) {
		for (String table : List.of("feature_example", "feature_histogram", "feature_logit_effect",
				"feature_cooccurrence", "feature_source")) {
			this.jdbc.update(con -> withArray(con.prepareStatement("DELETE FROM " + table
					+ " WHERE sae_id = ? AND feature_index = ANY(?)"), saeId, indices, null));
		}
		this.jdbc.update(con -> withArray(con.prepareStatement("DELETE FROM feature_label WHERE sae_id = ? "
				+ "AND feature_index = ANY(?) AND explainer LIKE 'neuronpedia:%'"), saeId, indices, null));
	}

	/** Token string → id; an imported vocabulary grows by the strings it lacks, a real one refuses them. */
	private Map<String, Integer> vocabulary(Target target, List<ImportedFeature> features, String origin) {
		long modelId = target.model().getId();
		Map<String, Integer> vocab = new HashMap<>();
		int[] maxId = { -1 };
		this.jdbc.query("SELECT token_id, text FROM model_token WHERE model_id = ? ORDER BY token_id", rs -> {
			vocab.putIfAbsent(rs.getString(2), rs.getInt(1));
			maxId[0] = Math.max(maxId[0], rs.getInt(1));
		}, modelId);
		Map<String, Integer> added = new LinkedHashMap<>();
		List<String> unknown = new ArrayList<>();
		for (ImportedFeature f : features) {
			List<String> all = new ArrayList<>(f.positiveTokens());
			all.addAll(f.negativeTokens());
			f.examples().forEach(e -> all.addAll(e.tokens()));
			for (String t : all) {
				if (!vocab.containsKey(t) && !added.containsKey(t)) {
					if (target.importedVocabulary()) {
						added.put(t, ++maxId[0]);
					}
					else if (unknown.size() < 10) {
						unknown.add(t);
					}
				}
			}
		}
		if (!unknown.isEmpty()) {
			throw new IllegalArgumentException(origin + ": token strings not in the vocabulary of model '"
					+ target.model().getName() + "': " + unknown.stream().map(s -> "'" + s + "'").toList()
					+ "; the files were made with another tokenizer, or import into a model of its own (--model NEW "
					+ "--model-config config.json)");
		}
		this.jdbc.batchUpdate("INSERT INTO model_token (model_id, token_id, text) VALUES (?, ?, ?)",
				added.entrySet().stream().map(e -> new Object[] { modelId, e.getValue(), e.getKey() }).toList());
		vocab.putAll(added);
		return vocab;
	}

	private void writeFeature(Target target, String source, String origin, String contentId, ImportedFeature f,
			Map<String, Integer> vocab) {
		long saeId = target.sae().getId();
		this.jdbc.update("INSERT INTO feature (sae_id, feature_index, density, max_activation, mean_activation) "
				+ "VALUES (?, ?, ?, ?, NULL) ON CONFLICT (sae_id, feature_index) DO UPDATE SET density = EXCLUDED.density, "
				+ "max_activation = EXCLUDED.max_activation, mean_activation = NULL", saeId, f.index(), f.density(),
				f.maxActivation());
		writeExamples(target, f, vocab);
		if (f.histogramEdges() != null) {
			this.jdbc.update(con -> {
				PreparedStatement ps = con.prepareStatement("INSERT INTO feature_histogram (sae_id, feature_index, kind, "
						+ "bin_edges, counts) VALUES (?, ?, 'activation', ?, ?)");
				ps.setLong(1, saeId);
				ps.setInt(2, f.index());
				ps.setArray(3, floatArray(con, f.histogramEdges()));
				ps.setArray(4, con.createArrayOf("bigint", Arrays.stream(f.histogramCounts()).boxed().toArray()));
				return ps;
			});
		}
		if (!f.positiveTokens().isEmpty() || !f.negativeTokens().isEmpty()) {
			this.jdbc.update(con -> {
				PreparedStatement ps = con.prepareStatement("INSERT INTO feature_logit_effect (sae_id, feature_index, "
						+ "top_token_ids, top_values, bottom_token_ids, bottom_values) VALUES (?, ?, ?, ?, ?, ?)");
				ps.setLong(1, saeId);
				ps.setInt(2, f.index());
				ps.setArray(3, con.createArrayOf("integer", ids(f.positiveTokens(), vocab)));
				ps.setArray(4, floatArray(con, f.positiveValues()));
				ps.setArray(5, con.createArrayOf("integer", ids(f.negativeTokens(), vocab)));
				ps.setArray(6, floatArray(con, f.negativeValues()));
				return ps;
			});
		}
		for (ImportedFeature.Label l : f.labels()) {
			this.jdbc.update("INSERT INTO feature_label (sae_id, feature_index, label, explainer, is_heuristic, scores) "
					+ "VALUES (?, ?, ?, ?, false, ?::jsonb)", saeId, f.index(), l.text(), l.explainer(),
					DashboardBatchReader.JSON.writeValueAsString(l.scores()));
		}
		Map<String, Object> detail = new LinkedHashMap<>(f.detail());
		detail.put("content_sha256", contentId);
		this.jdbc.update("INSERT INTO feature_source (sae_id, feature_index, source, origin, detail) "
				+ "VALUES (?, ?, ?, ?, ?::jsonb)", saeId, f.index(), source, origin,
				DashboardBatchReader.JSON.writeValueAsString(detail));
	}

	/** Contexts and examples of one feature, as two JDBC batches (ids for the contexts are drawn up front). */
	private void writeExamples(Target target, ImportedFeature f, Map<String, Integer> vocab) {
		List<ImportedFeature.Example> examples = f.examples();
		if (examples.isEmpty()) {
			return;
		}
		List<Long> ids = this.jdbc.queryForList("SELECT nextval('context_id_seq') FROM generate_series(1, ?)", Long.class,
				examples.size());
		long modelId = target.model().getId();
		this.jdbc.batchUpdate("INSERT INTO context (id, model_id, corpus, doc_index, start_pos, token_ids) "
				+ "VALUES (?, ?, ?, 0, 0, ?)", new org.springframework.jdbc.core.BatchPreparedStatementSetter() {
					@Override
					public void setValues(PreparedStatement ps, int i) throws SQLException {
						ps.setLong(1, ids.get(i));
						ps.setLong(2, modelId);
						ps.setString(3, f.corpus());
						ps.setArray(4, ps.getConnection().createArrayOf("integer", ids(examples.get(i).tokens(), vocab)));
					}

					@Override
					public int getBatchSize() {
						return examples.size();
					}
				});
		long saeId = target.sae().getId();
		this.jdbc.batchUpdate("INSERT INTO feature_example (sae_id, feature_index, kind, interval_index, rank, context_id, "
				+ "max_position, max_activation, activations) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
				new org.springframework.jdbc.core.BatchPreparedStatementSetter() {
					@Override
					public void setValues(PreparedStatement ps, int i) throws SQLException {
						ImportedFeature.Example e = examples.get(i);
						ps.setLong(1, saeId);
						ps.setInt(2, f.index());
						ps.setString(3, e.kind());
						ps.setInt(4, e.interval());
						ps.setInt(5, e.rank());
						ps.setLong(6, ids.get(i));
						ps.setInt(7, e.maxPosition());
						ps.setFloat(8, e.maxActivation());
						ps.setArray(9, floatArray(ps.getConnection(), e.values()));
					}

					@Override
					public int getBatchSize() {
						return examples.size();
					}
				});
	}

	private static Integer[] ids(List<String> tokens, Map<String, Integer> vocab) {
		return tokens.stream().map(vocab::get).toArray(Integer[]::new);
	}

	private static Array floatArray(java.sql.Connection con, float[] values) throws SQLException {
		Float[] boxed = new Float[values.length];
		for (int i = 0; i < values.length; i++) {
			boxed[i] = values[i];
		}
		return con.createArrayOf("real", boxed);
	}

	private static PreparedStatement withArray(PreparedStatement ps, long saeId, int[] indices, String text)
			throws SQLException {
		ps.setLong(1, saeId);
		ps.setArray(2, ps.getConnection().createArrayOf("integer", Arrays.stream(indices).boxed().toArray()));
		if (text != null) {
			ps.setString(3, text);
		}
		return ps;
	}
}
