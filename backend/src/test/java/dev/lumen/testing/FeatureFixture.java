package dev.lumen.testing;

import dev.lumen.catalog.CatalogModel;
import dev.lumen.catalog.CatalogSae;
import dev.lumen.feature.DecoderVectorWriter;
import java.util.Random;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Seeds what the extraction pipeline stores for a small model: vocabulary, two SAEs on the same hook, decoder
 * vectors, and for feature {@link #FEATURE} contexts, examples with per-token activations, an activation
 * histogram, logit effects, co-occurrence, labels and specificity ratings. Every number tests assert is a
 * constant here.
 */
public final class FeatureFixture {

	/** The fully seeded feature. */
	public static final int FEATURE = 3;

	/** Its decoder is feature 3's plus a small perturbation: the nearest neighbour in the same SAE. */
	public static final int TWIN = 7;

	/** In the wide SAE, the feature whose decoder is closest to feature 3's. */
	public static final int WIDE_TWIN = 21;

	public static final int D_IN = 16;

	public static final int D_SAE = 64;

	public static final int WIDE_D_SAE = 128;

	/** Vocabulary: token id = index. Includes markup, whitespace and control characters that must render as text. */
	public static final String[] VOCAB = { "<s>", " the", " cat", " sat", " on", " mat", "\n", " ", "<script>alert(1)</script>",
			" dog", "\"quoted\"", "\u0007bell", "\t", " ran", ".", " a" };

	/** Top example 0: "the cat sat on <script> ..." with its max on token 4 (the script token). */
	public static final int[] TOP0_TOKENS = { 1, 2, 3, 4, 8, 14, 6, 15, 9, 13, 14, 7 };

	public static final float[] TOP0_ACTS = { 0, 0, 0.5f, 1.25f, 3.25f, 0.75f, 0, 0, 0, 0.125f, 0, 0 };

	public static final float MAX_ACTIVATION = 3.25f;

	public static final float DENSITY = 0.0125f;

	public static final float MEAN_ACTIVATION = 0.875f;

	public static final String LABEL = "Script tags & feline nouns";

	public static final String DESCRIPTION = "Fires on HTML script tags, most strongly right after 'sat on'.";

	public static final String OLD_HEURISTIC_LABEL = "tokens: <script>, on";

	public static final String OTHER_LABEL = "Twin of the script feature";

	public final CatalogModel model;

	public final CatalogSae sae;

	public final CatalogSae wide;

	private final JdbcTemplate jdbc;

	/** Seeds everything into a new model of {@code catalog}, deleted when the catalog closes. */
	public FeatureFixture(TestCatalog catalog, DecoderVectorWriter writer, JdbcTemplate jdbc) {
		this.jdbc = jdbc;
		this.model = catalog.model("Fixture <b>model</b>", D_IN);
		this.sae = catalog.sae(this.model, "res-1-64", D_IN, D_SAE);
		this.wide = catalog.sae(this.model, "res-1-128", D_IN, WIDE_D_SAE);
		vocabulary();
		jdbc.update("UPDATE sae SET eval_stats = ?::jsonb, config = ?::jsonb WHERE id = ?",
				"{\"l0\": 12.5, \"explained_variance\": 0.8125, \"dead_fraction\": 0.03125, \"mse\": 0.0021}",
				"{\"d_in\": 16, \"d_sae\": 64, \"hook_name\": \"blocks.1.hook_resid_post\", \"context_size\": 128}",
				this.sae.getId());
		decoders(writer);
		stats();
		examples();
		extras();
	}

	/** @return the permalink of a feature of the small SAE */
	public String featurePath(int index) {
		return "/" + this.model.getName() + "/" + this.sae.getName() + "/" + index;
	}

	/** @return the overview path of the small SAE */
	public String saePath() {
		return "/" + this.model.getName() + "/" + this.sae.getName();
	}

	private void vocabulary() {
		for (int i = 0; i < VOCAB.length; i++) {
			this.jdbc.update("INSERT INTO model_token (model_id, token_id, text) VALUES (?, ?, ?)", this.model.getId(), i,
					VOCAB[i]);
		}
	}

	private void decoders(DecoderVectorWriter writer) {
		float[][] small = randomUnitVectors(D_SAE, 11);
		small[TWIN] = perturbed(small[FEATURE], 0.05f, 12);
		float[][] wide = randomUnitVectors(WIDE_D_SAE, 13);
		wide[WIDE_TWIN] = perturbed(small[FEATURE], 0.1f, 14);
		writer.insert(this.sae, 0, small);
		writer.insert(this.wide, 0, wide);
	}

	private void stats() {
		// every feature gets a density so the SAE overview has a histogram; feature 0 is dead
		this.jdbc.update("UPDATE feature SET density = CASE WHEN feature_index = 0 THEN 0 "
				+ "ELSE power(10, -1.1 - (feature_index % 5)) END, max_activation = 1 + feature_index * 0.01, "
				+ "mean_activation = 0.5 WHERE sae_id = ?", this.sae.getId());
		this.jdbc.update("UPDATE feature SET density = ?, max_activation = ?, mean_activation = ? WHERE sae_id = ? "
				+ "AND feature_index = ?", DENSITY, MAX_ACTIVATION, MEAN_ACTIVATION, this.sae.getId(), FEATURE);
	}

	private void examples() {
		long top0 = context(0, 0, TOP0_TOKENS);
		example("top", 0, 0, top0, 4, MAX_ACTIVATION, TOP0_ACTS);
		// a long context whose max is far from the start: only a window is shown before expanding
		int[] longTokens = new int[60];
		float[] longActs = new float[60];
		for (int i = 0; i < longTokens.length; i++) {
			longTokens[i] = 1 + i % 5;
		}
		longTokens[40] = 9;
		longActs[40] = 2.5f;
		longActs[41] = 1.0f;
		example("top", 0, 1, context(1, 100, longTokens), 40, 2.5f, longActs);
		example("interval", 9, 0, context(2, 0, new int[] { 15, 9, 13, 14 }), 1, 1.5f, new float[] { 0, 1.5f, 0.25f, 0 });
		example("interval", 2, 0, context(3, 0, new int[] { 1, 2, 10, 12, 11 }), 2, 0.25f, new float[] { 0, 0, 0.25f, 0, 0 });
		example("zero", 0, 0, context(4, 0, new int[] { 1, 5, 14 }), 0, 0, new float[] { 0, 0, 0 });
	}

	private void extras() {
		long saeId = this.sae.getId();
		this.jdbc.update("INSERT INTO feature_histogram (sae_id, feature_index, kind, bin_edges, counts) "
				+ "VALUES (?, ?, 'activation', ?::real[], ?::bigint[])", saeId, FEATURE, "{0.01,0.1,1,10}", "{40,25,5}");
		this.jdbc.update("INSERT INTO feature_logit_effect VALUES (?, ?, ?::integer[], ?::real[], ?::integer[], ?::real[])",
				saeId, FEATURE, "{8,2}", "{0.75,0.5}", "{6,14}", "{-0.625,-0.25}");
		this.jdbc.update("INSERT INTO feature_cooccurrence VALUES (?, ?, ?::integer[], ?::real[])", saeId, FEATURE, "{7,12}",
				"{0.5,0.25}");
		this.jdbc.update("INSERT INTO feature_label (sae_id, feature_index, label, explainer, is_heuristic, created_at) "
				+ "VALUES (?, ?, ?, 'heuristic', true, now() - interval '1 day')", saeId, FEATURE, OLD_HEURISTIC_LABEL);
		Long labelId = this.jdbc.queryForObject("INSERT INTO feature_label (sae_id, feature_index, label, description, "
				+ "explainer, scores) VALUES (?, ?, ?, ?, 'anthropic:claude-test', '{\"detection_f1\": 0.75}') RETURNING id",
				Long.class, saeId, FEATURE, LABEL, DESCRIPTION);
		this.jdbc.update("INSERT INTO feature_label (sae_id, feature_index, label, explainer) VALUES (?, ?, ?, 'test')",
				saeId, TWIN, OTHER_LABEL);
		// ratings: two high-activation contexts clearly match (3), one low one is unrelated (0)
		long[] contexts = this.jdbc.queryForList("SELECT id FROM context WHERE model_id = ? ORDER BY doc_index", Long.class,
				this.model.getId()).stream().mapToLong(Long::longValue).toArray();
		this.jdbc.update("INSERT INTO specificity_rating VALUES (?, ?, 3.0, 3, 'test'), (?, ?, 2.5, 3, 'test'), "
				+ "(?, ?, 0.25, 0, 'test')", labelId, contexts[0], labelId, contexts[1], labelId, contexts[3]);
	}

	private long context(int doc, int start, int[] tokens) {
		return this.jdbc.queryForObject("INSERT INTO context (model_id, corpus, doc_index, start_pos, token_ids) "
				+ "VALUES (?, 'fixture', ?, ?, ?::integer[]) RETURNING id", Long.class, this.model.getId(), doc, start,
				arrayLiteral(tokens));
	}

	private void example(String kind, int interval, int rank, long contextId, int maxPos, float max, float[] acts) {
		this.jdbc.update("INSERT INTO feature_example VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?::real[])", this.sae.getId(), FEATURE,
				kind, interval, rank, contextId, maxPos, max, arrayLiteral(acts));
	}

	private static String arrayLiteral(int[] v) {
		StringBuilder s = new StringBuilder("{");
		for (int i = 0; i < v.length; i++) {
			s.append(i > 0 ? "," : "").append(v[i]);
		}
		return s.append('}').toString();
	}

	private static String arrayLiteral(float[] v) {
		StringBuilder s = new StringBuilder("{");
		for (int i = 0; i < v.length; i++) {
			s.append(i > 0 ? "," : "").append(v[i]);
		}
		return s.append('}').toString();
	}

	private static float[][] randomUnitVectors(int n, long seed) {
		Random random = new Random(seed);
		float[][] out = new float[n][D_IN];
		for (float[] row : out) {
			for (int j = 0; j < D_IN; j++) {
				row[j] = (float) random.nextGaussian();
			}
			normalise(row);
		}
		return out;
	}

	private static float[] perturbed(float[] v, float noise, long seed) {
		Random random = new Random(seed);
		float[] out = v.clone();
		for (int j = 0; j < out.length; j++) {
			out[j] += noise * (float) random.nextGaussian();
		}
		return normalise(out);
	}

	private static float[] normalise(float[] row) {
		double norm = 0;
		for (float x : row) {
			norm += x * x;
		}
		float inv = (float) (1 / Math.sqrt(norm));
		for (int j = 0; j < row.length; j++) {
			row[j] *= inv;
		}
		return row;
	}

	/** @return the exact cosine of two vectors (e.g. stored decoder rows), computed here in double precision */
	public static double cosine(float[] a, float[] b) {
		double dot = 0;
		double na = 0;
		double nb = 0;
		for (int i = 0; i < a.length; i++) {
			dot += (double) a[i] * b[i];
			na += (double) a[i] * a[i];
			nb += (double) b[i] * b[i];
		}
		return dot / Math.sqrt(na * nb);
	}
}
