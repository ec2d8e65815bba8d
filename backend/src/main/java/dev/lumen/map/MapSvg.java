package dev.lumen.map;

import java.util.List;
import java.util.Set;
import org.springframework.web.util.HtmlUtils;

/**
 * Writes maps as SVG. Written in Java rather than a template because a map has up to 1 600 points; every label
 * is escaped here ({@link HtmlUtils#htmlEscape}), and {@code MapSvgTest} checks a {@code <script>} label.
 */
final class MapSvg {

	private MapSvg() {
	}

	/**
	 * The interactive map: every point a link to its feature with its label as {@code <title>} (hover, no
	 * JavaScript needed), matches ringed, cluster labels at their centres, the current feature marked.
	 * @param featureBase the feature path without the index, {@code /{model}/{sae}/}
	 */
	static String page(MapService.View view, MapRegion region, String featureBase, Integer current, Set<Integer> marked) {
		StringBuilder out = new StringBuilder(view.points().size() * 140 + 4096);
		out.append("<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"feature-map\" class=\"feature-map\" viewBox=\"")
			.append(box(region)).append("\" role=\"img\" aria-label=\"Feature map: ").append(view.points().size())
			.append(" of ").append(view.data().size()).append(" features drawn\" data-total=\"").append(view.data().size())
			.append("\">");
		out.append("<g class=\"map-points\">");
		for (MapPoint p : view.points()) {
			point(out, p, featureBase, p.match() ? "match" : marked.contains(p.index()) ? "marked" : null);
		}
		out.append("</g><g class=\"map-clusters\" aria-hidden=\"true\">");
		List<MapData.Cluster> clusters = view.data().clusters();
		for (MapData.Cluster c : clusters) {
			String label = c.id() < view.clusterLabels().size() ? view.clusterLabels().get(c.id()) : "";
			if (!label.isEmpty() && region.contains(c.x(), c.y())) {
				out.append("<text x=\"").append(num(c.x())).append("\" y=\"").append(num(c.y())).append("\">")
					.append(HtmlUtils.htmlEscape(label)).append("</text>");
			}
		}
		out.append("</g>");
		if (current != null) {
			int r = view.data().row(current);
			if (r >= 0) {
				out.append("<circle class=\"map-current\" cx=\"").append(num(view.data().x()[r])).append("\" cy=\"")
					.append(num(view.data().y()[r])).append("\" r=\"12\"/>");
			}
		}
		return out.append("</svg>").toString();
	}

	private static void point(StringBuilder out, MapPoint p, String featureBase, String cssClass) {
		out.append("<a href=\"").append(featureBase).append(p.index()).append("\"><circle cx=\"").append(num(p.x()))
			.append("\" cy=\"").append(num(p.y())).append("\" r=\"").append(cssClass == null ? "4" : "7").append("\" fill=\"")
			.append(p.fill()).append('"');
		if (cssClass != null) {
			out.append(" class=\"").append(cssClass).append('"');
		}
		out.append(" data-i=\"").append(p.index()).append("\"><title>#").append(p.index());
		if (p.label() != null) {
			out.append(' ').append(HtmlUtils.htmlEscape(p.label()));
		}
		out.append("</title></circle></a>");
	}

	/**
	 * A small standalone picture (for an {@code <img>}): grey points, the marked features in orange, the current
	 * one in red with a ring. No labels or links: an image cannot have them; the page wraps it in a link.
	 */
	static String picture(MapData data, List<MapPoint> background, Set<Integer> marked, Integer current, int size) {
		StringBuilder out = new StringBuilder(background.size() * 48 + 1024);
		out.append("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"-10 -10 1020 1020\" width=\"").append(size)
			.append("\" height=\"").append(size).append("\"><rect x=\"-10\" y=\"-10\" width=\"1020\" height=\"1020\" "
					+ "fill=\"#fbfbfd\"/>");
		boolean grey = current != null;
		for (MapPoint p : background) {
			out.append("<circle cx=\"").append(num(p.x())).append("\" cy=\"").append(num(p.y())).append("\" r=\"5\" fill=\"")
				.append(grey ? "#c8c8d0" : p.fill()).append("\"/>");
		}
		for (int index : marked) {
			dot(out, data, index, "9", "#f28e2b", null);
		}
		if (current != null) {
			dot(out, data, current, "12", "#d62728", "#d62728");
		}
		return out.append("</svg>").toString();
	}

	/** The SVG shown when an SAE has no map yet. */
	static String noMap(String saeName, int size) {
		return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 300 300\" width=\"" + size + "\" height=\"" + size
				+ "\"><rect width=\"300\" height=\"300\" fill=\"#f4f4f6\"/><text x=\"150\" y=\"140\" text-anchor=\"middle\" "
				+ "font-family=\"sans-serif\" font-size=\"16\" fill=\"#555\">No map yet</text><text x=\"150\" y=\"165\" "
				+ "text-anchor=\"middle\" font-family=\"sans-serif\" font-size=\"12\" fill=\"#777\">lumen map --sae-name "
				+ HtmlUtils.htmlEscape(saeName) + "</text></svg>";
	}

	private static void dot(StringBuilder out, MapData data, int index, String r, String fill, String ring) {
		int row = data.row(index);
		if (row < 0) {
			return;
		}
		String x = num(data.x()[row]), y = num(data.y()[row]);
		out.append("<circle cx=\"").append(x).append("\" cy=\"").append(y).append("\" r=\"").append(r).append("\" fill=\"")
			.append(fill).append("\"/>");
		if (ring != null) {
			out.append("<circle cx=\"").append(x).append("\" cy=\"").append(y).append("\" r=\"30\" fill=\"none\" stroke=\"")
				.append(ring).append("\" stroke-width=\"5\"/>");
		}
	}

	static String box(MapRegion r) {
		return num(r.x0() - 10) + " " + num(r.y0() - 10) + " " + num(r.x1() - r.x0() + 20) + " " + num(r.y1() - r.y0() + 20);
	}

	/** One decimal, without String.format (a map writes thousands). */
	static String num(float v) {
		long t = Math.round(v * 10.0);
		long abs = Math.abs(t);
		return (t < 0 ? "-" : "") + abs / 10 + "." + abs % 10;
	}
}
