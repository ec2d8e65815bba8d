package dev.lumen.map;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MapSvgTest {

	@Test
	void pointsAreLinksWithEscapedLabelsAndClusterLabelsAreEscapedToo() {
		MapData data = new MapData(1, "umap", 42, 3, new int[] { 0, 5, 9 }, new float[] { 10, 500, 990 },
				new float[] { 20, 500, 980 }, new int[] { 0, 0, 1 }, new float[] { 0.1f, 0.2f, 0.3f },
				new float[] { 1, 2, 3 }, List.of(new MapData.Cluster(0, 2, 255, 260), new MapData.Cluster(1, 1, 990, 980)));
		List<MapPoint> points = List.of(new MapPoint(0, 10, 20, "#4e79a7", "<script>alert(1)</script> & co", false),
				new MapPoint(5, 500, 500, "#4e79a7", null, true), new MapPoint(9, 990, 980, "#f28e2b", "nine", false));
		MapService.View view = new MapService.View(data, points, List.of("<b>bold</b>", ""), 1, MapColours.CLUSTER);
		String svg = MapSvg.page(view, MapRegion.ALL, "/m/s/", 9, Set.of(0));
		assertThat(svg).contains("<a href=\"/m/s/0\"><circle cx=\"10.0\" cy=\"20.0\" r=\"7\" fill=\"#4e79a7\" class=\"marked\" "
				+ "data-i=\"0\"><title>#0 &lt;script&gt;alert(1)&lt;/script&gt; &amp; co</title></circle></a>")
			.contains("class=\"match\" data-i=\"5\"><title>#5</title>")
			.contains("<text x=\"255.0\" y=\"260.0\">&lt;b&gt;bold&lt;/b&gt;</text>")
			.contains("<circle class=\"map-current\" cx=\"990.0\" cy=\"980.0\" r=\"12\"/>")
			.doesNotContain("<script>")
			.doesNotContain("<b>");
	}

	@Test
	void numbersAreWrittenWithOneDecimalWithoutLocale() {
		assertThat(MapSvg.num(12.34f)).isEqualTo("12.3");
		assertThat(MapSvg.num(-0.06f)).isEqualTo("-0.1");
		assertThat(MapSvg.num(999.96f)).isEqualTo("1000.0");
		assertThat(MapSvg.num(0f)).isEqualTo("0.0");
	}
}
