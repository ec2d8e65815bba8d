package dev.lumen.catalog;

import java.util.regex.Pattern;

/**
 * First URL path segments the app serves itself. Model slugs sit at the root ({@code /{model}/{sae}/{index}}), so
 * a model with one of these names would hide its own pages: the importer refuses them and the page routes exclude
 * them. One list for both, so they cannot drift apart.
 */
public final class ReservedNames {

	/** Alternation of the reserved segments, usable inside a route pattern (a compile-time constant). */
	public static final String PATTERN = "api|css|js|webjars|swagger-ui|v3|review|search|actuator|error|login|logout"
			+ "|account|accounts|admin|audit|lists|playground|analyze|images|img|fonts|static|favicon\\.svg"
			+ "|favicon\\.ico|robots\\.txt";

	private static final Pattern RESERVED = Pattern.compile("(?:" + PATTERN + ")");

	private ReservedNames() {
	}

	/** @return true when {@code name} cannot be a model name */
	public static boolean isReserved(String name) {
		return RESERVED.matcher(name).matches();
	}
}
