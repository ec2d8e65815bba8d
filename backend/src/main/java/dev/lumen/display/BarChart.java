package dev.lumen.display;

import java.util.List;

/**
 * Geometry of a bar chart drawn as inline SVG: templates only place the rectangles and labels computed here.
 * Coordinates are SVG user units in a {@code width × height} view box, y growing downwards.
 * @param plotLeft left edge of the plot area (the y axis)
 * @param plotBottom bottom edge of the plot area (the x axis)
 */
public record BarChart(String title, int width, int height, int plotLeft, int plotRight, int plotTop, int plotBottom,
		List<Bar> bars, List<Tick> xTicks, List<Tick> yTicks, String xLabel, String yLabel, List<Legend> legend) {

	/**
	 * One rectangle.
	 * @param series CSS class of the series, e.g. {@code s0}
	 * @param tooltip shown on hover (an SVG {@code <title>}) and read by screen readers
	 */
	public record Bar(double x, double y, double w, double h, String series, String tooltip) {
	}

	/** A labelled position on an axis (x for the x axis, y for the y axis). */
	public record Tick(double at, String label) {
	}

	/** One series in the legend. */
	public record Legend(String series, String label) {
	}

	/** @return whether there is anything to draw */
	public boolean isEmpty() {
		return this.bars.isEmpty();
	}

	/** @return one sentence describing the chart for screen readers */
	public String summary() {
		return this.title + ": " + this.bars.size() + " bars; " + this.xLabel + " against " + this.yLabel;
	}
}
