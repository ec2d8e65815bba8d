package dev.lumen.webcache;

import dev.lumen.sae.CatalogPaths;
import java.util.regex.Pattern;

/**
 * Which GET answers are cacheable and what their version covers, from the path alone:
 * <ul>
 * <li>{@code /{model}/{sae}/{index}} (no query: {@code ?text=} and {@code ?interval=} pages are not cached),
 * {@code /api/{model}/{sae}/{index}[/neighbours|/examples|/map]}: {@link PageVersions.Scope#FEATURE};
 * <li>{@code /{model}/{sae}/{index}/map.svg}, {@code /{model}/{sae}/map.svg}: {@link PageVersions.Scope#CONTENT};
 * <li>{@code /{model}/{sae}/map}, {@code /api/{model}/{sae}/map[/points]}, with their query:
 * {@link PageVersions.Scope#LABELS}.
 * </ul>
 * @param html a page (its layout shows who is logged in, so it is shared only between anonymous readers)
 */
record CachedRoute(String model, String sae, PageVersions.Scope scope, int index, boolean html) {

	private static final Pattern INDEX = Pattern.compile("[0-9]{1,9}");

	private static final Pattern RESERVED = Pattern.compile(CatalogPaths.RESERVED);

	/** @return the route of a path (context path removed), or null when it is not cached */
	static CachedRoute of(String path, String query) {
		String[] p = path.startsWith("/") ? path.substring(1).split("/", -1) : new String[0];
		boolean api = p.length > 0 && p[0].equals("api");
		int o = api ? 1 : 0;
		int rest = p.length - o;
		if (rest < 3 || (!api && RESERVED.matcher(p[0]).matches())) {
			return null;
		}
		String model = p[o], sae = p[o + 1], third = p[o + 2];
		String fourth = rest > 3 ? p[o + 3] : null;
		if (rest > 4) {
			return null;
		}
		if (third.equals("map") && (fourth == null || (api && fourth.equals("points")))) {
			return new CachedRoute(model, sae, PageVersions.Scope.LABELS, -1, !api);
		}
		if (!api && third.equals("map.svg") && fourth == null) {
			return new CachedRoute(model, sae, PageVersions.Scope.CONTENT, -1, false);
		}
		if (!INDEX.matcher(third).matches()) {
			return null;
		}
		int index = Integer.parseInt(third);
		if (!api && fourth == null && query == null) {
			return new CachedRoute(model, sae, PageVersions.Scope.FEATURE, index, true);
		}
		if (!api && "map.svg".equals(fourth)) {
			return new CachedRoute(model, sae, PageVersions.Scope.CONTENT, index, false);
		}
		if (api && query == null && (fourth == null || fourth.equals("neighbours") || fourth.equals("examples")
				|| fourth.equals("map"))) {
			return new CachedRoute(model, sae, PageVersions.Scope.FEATURE, index, false);
		}
		return null;
	}
}
