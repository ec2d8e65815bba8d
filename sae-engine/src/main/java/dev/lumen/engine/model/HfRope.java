package dev.lumen.engine.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lumen.engine.load.ConfigKeys;
import dev.lumen.engine.load.Strictness;
import java.util.Set;

/**
 * Reads rotary settings from both config layouts: transformers 5's {@code rope_parameters} object
 * ({@code rope_type}, {@code rope_theta}, {@code partial_rotary_factor} and the type's own keys) and 4.x's top-level
 * {@code rope_theta} / {@code rotary_emb_base}, {@code rotary_pct} / {@code partial_rotary_factor} and
 * {@code rope_scaling}. Where both layouts are present, rope_parameters wins, as in transformers 5.
 */
final class HfRope {

	/** Keys of rope_parameters / rope_scaling that Lumen reads. */
	static final Set<String> PARAMETER_KEYS = Set.of("rope_type", "type", "rope_theta", "partial_rotary_factor", "factor",
			"low_freq_factor", "high_freq_factor", "original_max_position_embeddings", "beta_fast", "beta_slow",
			"truncate", "attention_factor", "mscale", "mscale_all_dim");

	/** Top-level config keys this class reads. */
	static final Set<String> TOP_LEVEL_KEYS = Set.of("rope_parameters", "rope_scaling", "rope_theta", "rotary_emb_base",
			"rotary_pct", "partial_rotary_factor");

	/**
	 * @param theta rope base
	 * @param partialFactor fraction of each head that rotates
	 * @param scaling frequency scaling, or null
	 */
	record Rope(double theta, double partialFactor, RopeScaling scaling) {

		int rotaryDim(int dHead) {
			return (int) (dHead * this.partialFactor);
		}
	}

	private HfRope() {
	}

	/**
	 * @param r the config root
	 * @param where the file, for messages
	 * @param defaultTheta the family's default base
	 * @throws IllegalArgumentException naming the key and value when a setting is not supported or contradicts another
	 */
	static Rope read(JsonNode r, String where, double defaultTheta, Strictness strictness) {
		JsonNode params = r.get("rope_parameters");
		JsonNode legacy = r.get("rope_scaling");
		if (params != null && !params.isNull() && legacy != null && !legacy.isNull()) {
			throw new IllegalArgumentException("both rope_parameters and rope_scaling are set; keep one (rope_parameters is "
					+ "the transformers 5 form)");
		}
		JsonNode scaling = params != null && !params.isNull() ? params : legacy;
		if (scaling != null && !scaling.isNull()) {
			if (!scaling.isObject()) {
				throw new IllegalArgumentException("rope_parameters must be an object, got " + scaling);
			}
			ConfigKeys.check(scaling, where + " rope_parameters", PARAMETER_KEYS, Set.of(), strictness,
					IllegalArgumentException::new);
		}
		double theta = agreeing(r, scaling, defaultTheta, "rope_theta", "rotary_emb_base");
		double partial = agreeing(r, scaling, 1.0, "partial_rotary_factor", "rotary_pct");
		if (!(partial > 0 && partial <= 1)) {
			throw new IllegalArgumentException("partial_rotary_factor must be in (0, 1], got " + partial);
		}
		return new Rope(theta, partial, scaling == null || scaling.isNull() ? null : scaling(scaling, r));
	}

	/**
	 * A rope setting as transformers 5 resolves it ({@code standardize_rope_params}): the value inside rope_parameters
	 * wins, the top-level key (4.x layout, or the legacy alias) only fills a missing one.
	 */
	private static double agreeing(JsonNode r, JsonNode scaling, double fallback, String... keys) {
		for (JsonNode scope : new JsonNode[] { scaling, r }) {
			if (scope == null || scope.isNull()) {
				continue;
			}
			for (String key : keys) {
				JsonNode n = scope.get(key);
				if (n == null || n.isNull()) {
					continue;
				}
				if (!n.isNumber()) {
					throw new IllegalArgumentException((scope == r ? "" : "rope_parameters.") + key + " must be a number, got " + n);
				}
				return n.asDouble();
			}
		}
		return fallback;
	}

	private static RopeScaling scaling(JsonNode s, JsonNode r) {
		String type = s.path("rope_type").asText(s.path("type").asText("default"));
		if (type.equals("default")) {
			return null;
		}
		if (!RopeScaling.TYPES.contains(type)) {
			throw new IllegalArgumentException("rope_type '" + type + "' is not supported; valid: default, "
					+ String.join(", ", RopeScaling.TYPES));
		}
		int maxPositions = r.path("max_position_embeddings").asInt(0);
		// transformers 5 defaults a missing pre-training length to max_position_embeddings for llama3 and yarn
		int original = s.path("original_max_position_embeddings").asInt(maxPositions);
		double factor = s.path("factor").asDouble(0);
		if (type.equals("yarn") && factor <= 0 && original > 0) {
			factor = maxPositions / (double) original; // transformers' default for a missing yarn factor
		}
		double attention = 1;
		if (type.equals("yarn")) {
			attention = s.hasNonNull("attention_factor") ? s.get("attention_factor").asDouble()
					: s.hasNonNull("mscale") && s.hasNonNull("mscale_all_dim") && s.get("mscale").asDouble() != 0
							&& s.get("mscale_all_dim").asDouble() != 0
									? RopeScaling.yarnMscale(factor, s.get("mscale").asDouble())
											/ RopeScaling.yarnMscale(factor, s.get("mscale_all_dim").asDouble())
									: RopeScaling.yarnMscale(factor, 1);
		}
		else {
			for (String yarnOnly : new String[] { "beta_fast", "beta_slow", "truncate", "attention_factor", "mscale", "mscale_all_dim" }) {
				if (s.hasNonNull(yarnOnly)) {
					throw new IllegalArgumentException("rope_parameters." + yarnOnly + " applies to yarn only, not to " + type);
				}
			}
		}
		return new RopeScaling(type, factor, s.path("low_freq_factor").asDouble(0), s.path("high_freq_factor").asDouble(0),
				original, s.hasNonNull("beta_fast") ? s.get("beta_fast").asDouble() : 32,
				s.hasNonNull("beta_slow") ? s.get("beta_slow").asDouble() : 1, s.path("truncate").asBoolean(true), attention);
	}
}
