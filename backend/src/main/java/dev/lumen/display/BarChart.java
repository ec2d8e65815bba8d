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

		// SVG attribute values with two decimals, formatted here: a chart has up to 4 x 40 of them, and
		// Thymeleaf's #numbers.formatDecimal builds a DecimalFormat for each (6 % of a feature page's CPU)

		/** @return {@link #x()} for the SVG attribute */
		public String svgX() {
			return ActivationFormat.fixed(this.x, 2);
		}

		/** @return {@link #y()} for the SVG attribute */
		public String svgY() {
			return ActivationFormat.fixed(this.y, 2);
		}

		/** @return {@link #w()} for the SVG attribute */
		public String svgW() {
			return ActivationFormat.fixed(this.w, 2);
		}

		/** @return {@link #h()} for the SVG attribute */
		public String svgH() {
			return ActivationFormat.fixed(this.h, 2);
		}
	}

	/** A labelled position on an axis (x for the x axis, y for the y axis). */
	public record Tick(double at, String label) {

		/** @return {@link #at()} for an SVG x attribute, one decimal */
		public String svgAt() {
			return ActivationFormat.fixed(this.at, 1);
		}

		/** @return {@link #at()} + 4 (the label's baseline below the tick) for an SVG y attribute, one decimal */
		public String svgBaseline() {
			return ActivationFormat.fixed(this.at + 4, 1);
		}
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
