package dev.lumen.sae;

import dev.lumen.catalog.ReservedNames;

/**
 * URL patterns of catalog pages. Model slugs sit at the root ({@code /{model}/{sae}/{index}}), so the model
 * segment excludes the first segments the app itself uses: otherwise {@code /css/lumen.css} would be read as
 * model "css", SAE "lumen.css".
 */
public final class CatalogPaths {

	/** First path segments that are never model names ({@link ReservedNames}). */
	public static final String RESERVED = ReservedNames.PATTERN;

	/** The model segment: a slug (as the schema's CHECK allows) that is not reserved. */
	public static final String MODEL = "/{model:(?!(?:" + RESERVED + ")$)[a-z0-9][a-z0-9._-]*}";

	/** An SAE overview. */
	public static final String SAE = MODEL + "/{sae}";

	/** A feature permalink. */
	public static final String FEATURE = SAE + "/{index}";

	private CatalogPaths() {
	}
}
