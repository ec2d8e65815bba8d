package dev.lumen.display;

import java.util.Locale;

/** How numbers are shown on pages: compact, locale-independent, with enough precision to compare. */
public final class ActivationFormat {

	private ActivationFormat() {
	}

	/** @return e.g. {@code 12.3}, {@code 1.234}, {@code 0.0123}, {@code 1.2e-05}, {@code 0} */
	public static String format(double v) {
		if (Double.isNaN(v)) {
			return "–";
		}
		if (v == 0) {
			return "0";
		}
		double a = Math.abs(v);
		if (a >= 1000 || a < 1e-3) {
			return String.format(Locale.ROOT, "%.2g", v).replace("e-0", "e-").replace("e+0", "e");
		}
		if (a >= 100) {
			return String.format(Locale.ROOT, "%.1f", v);
		}
		if (a >= 10) {
			return String.format(Locale.ROOT, "%.2f", v);
		}
		return String.format(Locale.ROOT, "%.3f", v);
	}

	/** @return a fraction as a percentage, e.g. {@code 0.0123} → {@code 1.23%} */
	public static String percent(double fraction) {
		if (Double.isNaN(fraction)) {
			return "–";
		}
		double p = fraction * 100;
		if (p != 0 && Math.abs(p) < 0.01) {
			return String.format(Locale.ROOT, "%.1e%%", p);
		}
		return String.format(Locale.ROOT, "%.2f%%", p);
	}
}
