package dev.lumen.autointerp;

import java.sql.Array;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** Reads a feature's stored examples with their tokens as display strings ({@code model_token}). */
@Repository
public class FeatureExampleReader {

	private final JdbcTemplate jdbc;

	public FeatureExampleReader(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/** @return the feature's examples; empty lists when extraction stored none */
	public FeatureExamples load(long saeId, int featureIndex) {
		List<Float> max = this.jdbc.queryForList("SELECT coalesce(max_activation, 0) FROM feature WHERE sae_id = ? "
				+ "AND feature_index = ?", Float.class, saeId, featureIndex);
		if (max.isEmpty()) {
			throw new IllegalArgumentException("SAE " + saeId + " has no feature " + featureIndex);
		}
		// tokens missing from the vocabulary table show as <id> rather than failing the whole feature
		List<ExampleWindow> windows = this.jdbc.query("SELECT e.context_id, e.kind, e.interval_index, e.max_activation, "
				+ "e.activations, (SELECT array_agg(coalesce(t.text, '<' || u.id || '>') ORDER BY u.ord) "
				+ "FROM unnest(c.token_ids) WITH ORDINALITY AS u(id, ord) LEFT JOIN model_token t "
				+ "ON t.model_id = c.model_id AND t.token_id = u.id) AS tokens "
				+ "FROM feature_example e JOIN context c ON c.id = e.context_id "
				+ "WHERE e.sae_id = ? AND e.feature_index = ? ORDER BY e.kind, e.interval_index, e.rank",
				(rs, n) -> new ExampleWindow(rs.getLong(1), rs.getString(2), rs.getInt(3), strings(rs.getArray(6)),
						floats(rs.getArray(5)), rs.getFloat(4)),
				saeId, featureIndex);
		List<ExampleWindow> top = new ArrayList<>();
		List<ExampleWindow> interval = new ArrayList<>();
		List<ExampleWindow> zero = new ArrayList<>();
		for (ExampleWindow w : windows) {
			switch (w.kind()) {
				case "top" -> top.add(w);
				case "interval" -> interval.add(w);
				default -> zero.add(w);
			}
		}
		return new FeatureExamples(saeId, featureIndex, max.get(0), top, interval, zero);
	}

	private static List<String> strings(Array array) throws SQLException {
		return Arrays.asList((String[]) array.getArray());
	}

	private static float[] floats(Array array) throws SQLException {
		Float[] boxed = (Float[]) array.getArray();
		float[] values = new float[boxed.length];
		for (int i = 0; i < boxed.length; i++) {
			values[i] = boxed[i];
		}
		return values;
	}
}
