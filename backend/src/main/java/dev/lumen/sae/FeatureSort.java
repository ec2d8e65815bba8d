package dev.lumen.sae;

import java.util.Arrays;
import java.util.Locale;

/** The columns an SAE's feature table can be sorted by; only these reach the SQL. */
public enum FeatureSort {

	INDEX("f.feature_index"), DENSITY("f.density"), MAX("f.max_activation");

	private final String column;

	FeatureSort(String column) {
		this.column = column;
	}

	/** @return the SQL ORDER BY clause, missing values last, ties broken by index */
	String orderBy(boolean descending) {
		String dir = descending ? " DESC" : " ASC";
		return this == INDEX ? this.column + dir : this.column + dir + " NULLS LAST, f.feature_index";
	}

	/** @return the URL parameter value, e.g. {@code density} */
	public String param() {
		return name().toLowerCase(Locale.ROOT);
	}

	/** @return the sort named by a URL parameter; index for anything unknown */
	public static FeatureSort parse(String value) {
		return Arrays.stream(values()).filter(s -> s.param().equals(value)).findFirst().orElse(INDEX);
	}
}
