package dev.lumen.display;

import dev.lumen.display.BarChart.Bar;
import dev.lumen.display.BarChart.Legend;
import dev.lumen.display.BarChart.Tick;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Lays out the histograms Lumen shows: activation, specificity (stacked by score) and feature density. */
public final class BarCharts {

	static final int WIDTH = 560;

	static final int HEIGHT = 220;

	static final int LEFT = 60;

	static final int RIGHT = WIDTH - 28;

	static final int TOP = 12;

	static final int BOTTOM = HEIGHT - 40;

	/** Bins of the specificity histogram, equal width from 0 to the feature's max activation. */
	static final int SPECIFICITY_BINS = 10;

	static final String[] SCORE_NAMES = { "0 unrelated", "1 vaguely related", "2 somewhat related", "3 clearly matches" };

	private BarCharts() {
	}

	/**
	 * The activation histogram over its stored bins; log-spaced edges get a log x axis so bins have equal width.
	 */
	public static BarChart activation(float[] edges, long[] counts) {
		// edges: [n + 1], counts: [n]
		boolean logX = edges.length > 1 && edges[0] > 0;
		double lo = x(edges[0], logX);
		double hi = x(edges[edges.length - 1], logX);
		long maxCount = max(counts);
		List<Bar> bars = new ArrayList<>();
		for (int i = 0; i < counts.length; i++) {
			if (counts[i] == 0) {
				continue;
			}
			double x0 = scale(x(edges[i], logX), lo, hi, LEFT, RIGHT);
			double x1 = scale(x(edges[i + 1], logX), lo, hi, LEFT, RIGHT);
			double h = (BOTTOM - TOP) * (double) counts[i] / maxCount;
			bars.add(new Bar(x0, BOTTOM - h, Math.max(0.5, x1 - x0 - 0.5), h, "s3", ActivationFormat.format(edges[i]) + " – "
					+ ActivationFormat.format(edges[i + 1]) + ": " + counts[i] + " tokens"));
		}
		List<Tick> xTicks = new ArrayList<>();
		int step = Math.max(1, (edges.length - 1) / 5);
		for (int i = 0; i < edges.length; i += step) {
			xTicks.add(new Tick(scale(x(edges[i], logX), lo, hi, LEFT, RIGHT), ActivationFormat.format(edges[i])));
		}
		return new BarChart("Activation histogram", WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM, bars, xTicks,
				countTicks(maxCount), logX ? "activation (log scale)" : "activation", "tokens", List.of());
	}

	/**
	 * Specificity: for activation bins from 0 to {@code maxActivation}, how many rated contexts got each score.
	 * @param activations the rated contexts' activations, shape [n]
	 * @param scores their scores 0..3, shape [n]
	 */
	public static BarChart specificity(float[] activations, int[] scores, double maxActivation) {
		double top = maxActivation;
		for (float a : activations) {
			top = Math.max(top, a);
		}
		if (top <= 0) {
			top = 1;
		}
		long[][] counts = new long[SPECIFICITY_BINS][SCORE_NAMES.length]; // [bin, score]
		for (int i = 0; i < activations.length; i++) {
			int bin = (int) Math.min(SPECIFICITY_BINS - 1, Math.max(0, Math.floor(activations[i] / top * SPECIFICITY_BINS)));
			counts[bin][Math.max(0, Math.min(3, scores[i]))]++;
		}
		long maxCount = 1;
		for (long[] bin : counts) {
			long sum = 0;
			for (long c : bin) {
				sum += c;
			}
			maxCount = Math.max(maxCount, sum);
		}
		List<Bar> bars = new ArrayList<>();
		double binWidth = (RIGHT - LEFT) / (double) SPECIFICITY_BINS;
		for (int b = 0; b < SPECIFICITY_BINS; b++) {
			double y = BOTTOM;
			String range = ActivationFormat.format(top * b / SPECIFICITY_BINS) + " – "
					+ ActivationFormat.format(top * (b + 1) / SPECIFICITY_BINS);
			for (int s = 0; s < SCORE_NAMES.length; s++) {
				long c = counts[b][s];
				if (c == 0) {
					continue;
				}
				double h = (BOTTOM - TOP) * (double) c / maxCount;
				y -= h;
				bars.add(new Bar(LEFT + b * binWidth + 1, y, binWidth - 2, h, "s" + s,
						range + ": " + c + " rated " + SCORE_NAMES[s]));
			}
		}
		List<Tick> xTicks = new ArrayList<>();
		for (int b = 0; b <= SPECIFICITY_BINS; b += 2) {
			xTicks.add(new Tick(LEFT + b * binWidth, ActivationFormat.format(top * b / SPECIFICITY_BINS)));
		}
		List<Legend> legend = new ArrayList<>();
		for (int s = 0; s < SCORE_NAMES.length; s++) {
			legend.add(new Legend("s" + s, SCORE_NAMES[s]));
		}
		if (activations.length == 0) {
			bars.clear();
		}
		return new BarChart("Specificity", WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM, bars, xTicks, countTicks(maxCount),
				"activation", "rated contexts", legend);
	}

	/**
	 * Feature density over an SAE: counts of features per log10(density) bin.
	 * @param counts features per bin, shape [n]
	 * @param log10Lo lower edge of the first bin, in log10(density)
	 * @param log10Hi upper edge of the last bin
	 */
	public static BarChart density(long[] counts, double log10Lo, double log10Hi) {
		long maxCount = max(counts);
		double binWidth = (RIGHT - LEFT) / (double) counts.length;
		double log10Step = (log10Hi - log10Lo) / counts.length;
		List<Bar> bars = new ArrayList<>();
		for (int i = 0; i < counts.length; i++) {
			if (counts[i] == 0) {
				continue;
			}
			double h = (BOTTOM - TOP) * (double) counts[i] / maxCount;
			bars.add(new Bar(LEFT + i * binWidth, BOTTOM - h, Math.max(0.5, binWidth - 0.5), h, "s3",
					String.format(Locale.ROOT, "density 1e%.2f – 1e%.2f: %d features", log10Lo + i * log10Step,
							log10Lo + (i + 1) * log10Step, counts[i])));
		}
		List<Tick> xTicks = new ArrayList<>();
		for (int e = (int) Math.ceil(log10Lo); e <= log10Hi; e++) {
			xTicks.add(new Tick(scale(e, log10Lo, log10Hi, LEFT, RIGHT), e == 0 ? "1" : "1e" + e));
		}
		return new BarChart("Feature density", WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM, bars, xTicks, countTicks(maxCount),
				"density (fraction of tokens, log scale)", "features", List.of());
	}

	private static List<Tick> countTicks(long maxCount) {
		return List.of(new Tick(BOTTOM, "0"), new Tick((TOP + BOTTOM) / 2.0, compact(maxCount / 2.0)),
				new Tick(TOP, compact(maxCount)));
	}

	private static String compact(double n) {
		if (n >= 1e6) {
			return String.format(Locale.ROOT, "%.1fM", n / 1e6);
		}
		if (n >= 1e4) {
			return String.format(Locale.ROOT, "%.0fk", n / 1e3);
		}
		return n == Math.rint(n) ? Long.toString((long) n) : String.format(Locale.ROOT, "%.1f", n);
	}

	private static double x(double edge, boolean log) {
		return log ? Math.log10(edge) : edge;
	}

	private static double scale(double v, double lo, double hi, double outLo, double outHi) {
		return hi == lo ? outLo : outLo + (v - lo) / (hi - lo) * (outHi - outLo);
	}

	private static long max(long[] counts) {
		long m = 1;
		for (long c : counts) {
			m = Math.max(m, c);
		}
		return m;
	}
}
