package dev.lumen.extraction;

import dev.lumen.catalog.CatalogModel;
import dev.lumen.catalog.CatalogSae;
import dev.lumen.engine.tokenizer.Tokenizer;
import dev.lumen.stats.CoOccurring;
import dev.lumen.stats.Example;
import dev.lumen.stats.FeatureResults;
import dev.lumen.stats.Histogram;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Stores an extraction's results with COPY in one transaction: the SAE's old examples, histograms, logit effects
 * and co-occurrences are replaced atomically, so pages read either the old results or the new ones, never a mix,
 * and a failed load leaves the old ones in place.
 */
@Component
class ExtractionWriter {

	private final DataSource dataSource;

	private final JdbcTemplate jdbc;

	private final TransactionTemplate tx;

	ExtractionWriter(DataSource dataSource, JdbcTemplate jdbc, PlatformTransactionManager transactionManager) {
		this.dataSource = dataSource;
		this.jdbc = jdbc;
		this.tx = new TransactionTemplate(transactionManager);
	}

	/**
	 * What one extraction produced.
	 * @param blocks the statistics of consecutive feature blocks from feature 0 to d_sae (a local run: one block); each
	 *        table is written in one pass over them, so only one block needs to be in memory at a time
	 */
	record Results(CatalogModel model, CatalogSae sae, String corpus, Tokenizer tokenizer, CorpusWindows windows,
			Iterable<? extends FeatureResults> blocks, int dSae, LogitEffects.Effects[] logitEffects,
			ExtractionSettings settings) {
	}

	/** Writes everything in one transaction. */
	void write(Results r) {
		this.tx.executeWithoutResult(status -> {
			Connection connection = DataSourceUtils.getConnection(this.dataSource);
			try {
				CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
				writeVocabulary(copy, r);
				Map<Integer, Long> contextIds = writeContexts(copy, r);
				long saeId = r.sae().getId();
				for (String table : List.of("feature_example", "feature_histogram", "feature_logit_effect",
						"feature_cooccurrence")) {
					this.jdbc.update("DELETE FROM " + table + " WHERE sae_id = ?", saeId);
				}
				long[] activeTokens = writeFeatureStats(connection, copy, r);
				writeExamples(copy, r, contextIds);
				writeHistograms(copy, r);
				writeLogitEffects(copy, r);
				writeCoOccurrence(copy, r, activeTokens);
				// contexts no example points to any more (an earlier extraction's) go
				this.jdbc.update("DELETE FROM context c WHERE c.model_id = ? AND NOT EXISTS "
						+ "(SELECT 1 FROM feature_example e WHERE e.context_id = c.id)", r.model().getId());
			}
			catch (SQLException ex) {
				throw new DataAccessResourceFailureException("storing the extraction of SAE " + r.sae().getName()
						+ " failed: " + ex.getMessage(), ex);
			}
			finally {
				DataSourceUtils.releaseConnection(connection, this.dataSource);
			}
		});
	}

	/** The model's vocabulary, once per model: pages render token ids through it. */
	private void writeVocabulary(CopyManager copy, Results r) throws SQLException {
		Integer have = this.jdbc.queryForObject("SELECT count(*) FROM model_token WHERE model_id = ?", Integer.class,
				r.model().getId());
		if (have != null && have > 0) {
			return;
		}
		try (CopyStream rows = new CopyStream(copy, "COPY model_token (model_id, token_id, text) FROM STDIN")) {
			for (int id = 0; id < r.tokenizer().vocabSize(); id++) {
				rows.row().field(r.model().getId()).field(id).field(TokenText.display(r.tokenizer().tokenString(id)));
				rows.endRow();
			}
		}
	}

	private Map<Integer, Long> writeContexts(CopyManager copy, Results r) throws SQLException {
		TreeSet<Integer> used = new TreeSet<>();
		for (FeatureResults s : r.blocks()) {
			for (int f = s.firstFeature(); f < s.endFeature(); f++) {
				Arrays.stream(s.topExamples(f)).forEach(e -> used.add(e.window()));
				Arrays.stream(s.zeroExamples(f)).forEach(e -> used.add(e.window()));
				for (Example[] interval : s.intervalExamples(f)) {
					Arrays.stream(interval).forEach(e -> used.add(e.window()));
				}
			}
		}
		List<Long> ids = this.jdbc.queryForList("SELECT nextval('context_id_seq') FROM generate_series(1, ?)", Long.class,
				used.size());
		Map<Integer, Long> byWindow = new HashMap<>();
		int next = 0;
		try (CopyStream rows = new CopyStream(copy,
				"COPY context (id, model_id, corpus, doc_index, start_pos, token_ids) FROM STDIN")) {
			for (int window : used) {
				CorpusWindows.Window w = r.windows().get(window);
				long id = ids.get(next++);
				byWindow.put(window, id);
				rows.row().field(id).field(r.model().getId()).field(r.corpus()).field(w.docIndex()).field(w.startPos())
					.intArray(w.tokens());
				rows.endRow();
			}
		}
		return byWindow;
	}

	/** @return the active-token count of every feature (co-occurrence scores need the partners') */
	private long[] writeFeatureStats(Connection connection, CopyManager copy, Results r) throws SQLException {
		long[] activeTokens = new long[r.dSae()];
		try (Statement st = connection.createStatement()) {
			st.execute("CREATE TEMP TABLE extraction_stats (feature_index integer PRIMARY KEY, density real, "
					+ "max_activation real, mean_activation real) ON COMMIT DROP");
		}
		try (CopyStream rows = new CopyStream(copy,
				"COPY extraction_stats (feature_index, density, max_activation, mean_activation) FROM STDIN")) {
			for (FeatureResults s : r.blocks()) {
				for (int f = s.firstFeature(); f < s.endFeature(); f++) {
					long n = activeTokens[f] = s.activeTokens(f);
					rows.row().field(f).field((float) s.density(f)).field(s.maxActivation(f));
					if (n > 0) {
						rows.row().field((float) s.meanActivation(f));
					}
					else {
						rows.row().nullField();
					}
					rows.endRow();
				}
			}
		}
		int updated = this.jdbc.update("UPDATE feature f SET density = x.density, max_activation = x.max_activation, "
				+ "mean_activation = x.mean_activation FROM extraction_stats x WHERE f.sae_id = ? "
				+ "AND f.feature_index = x.feature_index", r.sae().getId());
		if (updated != r.dSae()) {
			throw new IllegalStateException("SAE " + r.sae().getName() + " has " + updated + " of its " + r.dSae()
					+ " features registered; re-register it");
		}
		return activeTokens;
	}

	private void writeExamples(CopyManager copy, Results r, Map<Integer, Long> contextIds) throws SQLException {
		long saeId = r.sae().getId();
		try (CopyStream rows = new CopyStream(copy, "COPY feature_example (sae_id, feature_index, kind, interval_index, "
				+ "rank, context_id, max_position, max_activation, activations) FROM STDIN")) {
			for (FeatureResults s : r.blocks()) {
				for (int f = s.firstFeature(); f < s.endFeature(); f++) {
					example(rows, r, saeId, f, "top", 0, s.topExamples(f), contextIds);
					Example[][] intervals = s.intervalExamples(f); // each strongest first
					for (int i = 0; i < intervals.length; i++) {
						example(rows, r, saeId, f, "interval", i, intervals[i], contextIds);
					}
					example(rows, r, saeId, f, "zero", 0, s.zeroExamples(f), contextIds);
				}
			}
		}
	}

	private static void example(CopyStream rows, Results r, long saeId, int feature, String kind, int interval,
			Example[] items, Map<Integer, Long> contextIds) throws SQLException {
		for (int rank = 0; rank < items.length; rank++) {
			Example item = items[rank];
			int length = r.windows().get(item.window()).tokens().length;
			float[] acts = item.dense(length); // the real value at every position, BOS included
			rows.row().field(saeId).field(feature).field(kind).field(interval).field(rank)
				.field(contextIds.get(item.window())).field(item.maxPosition()).field(item.maxActivation())
				.floatArray(acts, length);
			rows.endRow();
		}
	}

	private void writeHistograms(CopyManager copy, Results r) throws SQLException {
		try (CopyStream rows = new CopyStream(copy,
				"COPY feature_histogram (sae_id, feature_index, kind, bin_edges, counts) FROM STDIN")) {
			for (FeatureResults s : r.blocks()) {
				for (int f = s.firstFeature(); f < s.endFeature(); f++) {
					Histogram h = s.histogram(f);
					if (h != null) {
						rows.row().field(r.sae().getId()).field(f).field("activation").floatArray(h.edges(), h.edges().length)
							.longArray(h.counts());
						rows.endRow();
					}
				}
			}
		}
	}

	private void writeLogitEffects(CopyManager copy, Results r) throws SQLException {
		try (CopyStream rows = new CopyStream(copy, "COPY feature_logit_effect (sae_id, feature_index, top_token_ids, "
				+ "top_values, bottom_token_ids, bottom_values) FROM STDIN")) {
			for (int f = 0; f < r.logitEffects().length; f++) {
				LogitEffects.Effects e = r.logitEffects()[f];
				rows.row().field(r.sae().getId()).field(f).intArray(e.topIds()).floatArray(e.topValues(),
						e.topValues().length).intArray(e.bottomIds()).floatArray(e.bottomValues(), e.bottomValues().length);
				rows.endRow();
			}
		}
	}

	/** A feature past the partner cap gets a row with no partners, flagged approximate (see CoOccurring). */
	private void writeCoOccurrence(CopyManager copy, Results r, long[] activeTokens) throws SQLException {
		try (CopyStream rows = new CopyStream(copy,
				"COPY feature_cooccurrence (sae_id, feature_index, other_indices, scores, approximate) FROM STDIN")) {
			for (FeatureResults s : r.blocks()) {
				for (int f = s.firstFeature(); f < s.endFeature(); f++) {
					if (activeTokens[f] > 0) {
						CoOccurring top = s.coOccurring(f, r.settings().coOccurring(), activeTokens);
						rows.row().field(r.sae().getId()).field(f).intArray(top.indices()).floatArray(top.scores(),
								top.scores().length).field(top.approximate() ? "t" : "f");
						rows.endRow();
					}
				}
			}
		}
	}
}
