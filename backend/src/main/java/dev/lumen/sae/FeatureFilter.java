package dev.lumen.sae;

import java.util.List;
import java.util.Locale;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Filters of an SAE's feature table, read from URL parameters. Every value reaches SQL as a bind parameter; the
 * clause text is built from constants only.
 *
 * @param label words the newest label must contain (case-insensitive), or null
 * @param minDensity smallest density in percent, or null; likewise the others
 * @param minAuroc smallest embedding AUROC of the newest label (0.5 = chance)
 * @param state {@code all}, {@code dead} (never fired), {@code live}
 * @param source {@code any}, {@code offline} (heuristic label), {@code model} (language-model or human label), {@code none}
 */
public record FeatureFilter(String label, Double minDensity, Double maxDensity, Double minMax, Double minAuroc,
		String state, String source) {

	/** No filter. */
	public static final FeatureFilter NONE = new FeatureFilter(null, null, null, null, null, "all", "any");

	public FeatureFilter {
		label = label == null || label.isBlank() ? null : label.strip();
		state = List.of("dead", "live").contains(state) ? state : "all";
		source = List.of("offline", "model", "none").contains(source) ? source : "any";
	}

	/** Reads the parameters leniently: a value that is not a number is ignored, like an empty field. */
	static FeatureFilter parse(String label, String minDensity, String maxDensity, String minMax, String minAuroc,
			String state, String source) {
		return new FeatureFilter(label, number(minDensity), number(maxDensity), number(minMax), number(minAuroc),
				state == null ? "all" : state.toLowerCase(Locale.ROOT), source == null ? "any" : source.toLowerCase(Locale.ROOT));
	}

	/** @return whether any filter is set */
	public boolean active() {
		return !equals(NONE);
	}

	/** SQL conditions over {@code f} (feature) and {@code l} (newest label), each starting with " AND ". */
	String where(List<Object> args) {
		StringBuilder sql = new StringBuilder();
		if (this.label != null) {
			sql.append(" AND l.label ILIKE ?");
			args.add("%" + this.label.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
		}
		bound(sql, args, "f.density * 100 >= ?", this.minDensity);
		bound(sql, args, "f.density * 100 <= ?", this.maxDensity);
		bound(sql, args, "f.max_activation >= ?", this.minMax);
		bound(sql, args, "(l.scores->'embedding'->>'auroc')::float8 >= ?", this.minAuroc);
		switch (this.state) {
			case "dead" -> sql.append(" AND f.density = 0");
			case "live" -> sql.append(" AND f.density > 0");
			default -> {
			}
		}
		switch (this.source) {
			case "offline" -> sql.append(" AND l.is_heuristic");
			case "model" -> sql.append(" AND NOT l.is_heuristic");
			case "none" -> sql.append(" AND l.label IS NULL");
			default -> {
			}
		}
		return sql.toString();
	}

	/** @return the filter as URL parameters to append to sort and page links, e.g. {@code &label=the}; empty when none */
	public String query() {
		UriComponentsBuilder b = UriComponentsBuilder.newInstance();
		add(b, "label", this.label);
		add(b, "minDensity", this.minDensity);
		add(b, "maxDensity", this.maxDensity);
		add(b, "minMax", this.minMax);
		add(b, "minAuroc", this.minAuroc);
		add(b, "state", "all".equals(this.state) ? null : this.state);
		add(b, "source", "any".equals(this.source) ? null : this.source);
		String q = b.encode().build().getQuery();
		return q == null ? "" : "&" + q;
	}

	private static void add(UriComponentsBuilder b, String name, Object value) {
		if (value != null) {
			b.queryParam(name, value instanceof Double d ? shown(d) : value);
		}
	}

	/** @return a number without a trailing ".0" */
	public static String shown(Double d) {
		return d == null ? "" : d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf(d.longValue()) : String.valueOf(d);
	}

	private static void bound(StringBuilder sql, List<Object> args, String condition, Double value) {
		if (value != null) {
			sql.append(" AND ").append(condition);
			args.add(value);
		}
	}

	private static Double number(String text) {
		try {
			double d = Double.parseDouble(text == null ? "" : text.strip());
			return Double.isFinite(d) ? d : null;
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}
}
