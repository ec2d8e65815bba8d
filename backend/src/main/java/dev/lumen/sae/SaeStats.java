package dev.lumen.sae;

import dev.lumen.catalog.CatalogSae;
import dev.lumen.display.ActivationFormat;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The key numbers of an SAE, read from {@code sae.eval_stats} (keys l0, explained_variance, fvu, mse,
 * dead_fraction, dense_fraction, ce_loss_recovered, each optional). Missing or unreadable values are null.
 */
public record SaeStats(Double l0, Double explainedVariance, Double fvu, Double mse, Double deadFraction,
		Double denseFraction, Double ceLossRecovered) {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/** @return the stats of an SAE; all null when it has no eval stats */
	public static SaeStats of(CatalogSae sae) {
		JsonNode eval = parse(sae.getEvalStats());
		return new SaeStats(number(eval, "l0"), number(eval, "explained_variance"), number(eval, "fvu"),
				number(eval, "mse"), number(eval, "dead_fraction"), number(eval, "dense_fraction"),
				number(eval, "ce_loss_recovered"));
	}

	/** @return the stats that exist, as (name, formatted value) in display order */
	public List<Entry> entries() {
		List<Entry> out = new ArrayList<>();
		add(out, "L0 (active features per token)", this.l0 == null ? null : ActivationFormat.format(this.l0));
		add(out, "explained variance", this.explainedVariance == null ? null : ActivationFormat.percent(this.explainedVariance));
		add(out, "FVU", this.fvu == null ? null : ActivationFormat.format(this.fvu));
		add(out, "MSE", this.mse == null ? null : ActivationFormat.format(this.mse));
		add(out, "dead features", this.deadFraction == null ? null : ActivationFormat.percent(this.deadFraction));
		add(out, "dense features", this.denseFraction == null ? null : ActivationFormat.percent(this.denseFraction));
		add(out, "CE loss recovered", this.ceLossRecovered == null ? null : ActivationFormat.percent(this.ceLossRecovered));
		return out;
	}

	/** @return every top-level scalar of a JSON object (config, training stats), as name → text, in order */
	public static Map<String, String> scalars(String json) {
		Map<String, String> out = new LinkedHashMap<>();
		JsonNode node = parse(json);
		if (node != null && node.isObject()) {
			node.properties().forEach(e -> {
				JsonNode v = e.getValue();
				if (v.isNumber()) {
					out.put(e.getKey(), v.isIntegralNumber() ? v.asString() : ActivationFormat.format(v.asDouble()));
				}
				else if (v.isString() || v.isBoolean()) {
					out.put(e.getKey(), v.asString());
				}
			});
		}
		return out;
	}

	/** A named, formatted number. */
	public record Entry(String name, String value) {
	}

	private static void add(List<Entry> out, String name, String value) {
		if (value != null) {
			out.add(new Entry(name, value));
		}
	}

	private static JsonNode parse(String json) {
		if (json == null || json.isBlank()) {
			return null;
		}
		try {
			return JSON.readTree(json);
		}
		catch (JacksonException ex) {
			return null;
		}
	}

	private static Double number(JsonNode node, String key) {
		if (node == null || !node.isObject()) {
			return null;
		}
		JsonNode v = node.get(key);
		return v != null && v.isNumber() ? v.asDouble() : null;
	}
}
