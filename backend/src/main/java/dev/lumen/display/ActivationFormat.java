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
			return String.format(Locale.ROOT, "%.1e", v).replace("e-0", "e-").replace("e+0", "e").replace("e+", "e");
		}
		// four significant digits at most; fixed() instead of String.format, which is slow on pages with 10k numbers
		return a >= 100 ? fixed(v, 1) : a >= 10 ? fixed(v, 2) : fixed(v, 3);
	}

	/**
	 * @param decimals 1, 2 or 3
	 * @return {@code v} rounded half-up to {@code decimals} places, e.g. fixed(2.5, 3) = "2.500"
	 */
	public static String fixed(double v, int decimals) {
		long scale = decimals == 1 ? 10 : decimals == 2 ? 100 : 1000;
		long scaled = Math.round(Math.abs(v) * scale);
		if (scaled == 0) {
			v = 0;
		}
		StringBuilder out = new StringBuilder(12);
		if (v < 0) {
			out.append('-');
		}
		out.append(scaled / scale).append('.');
		String frac = Long.toString(scaled % scale);
		for (int i = frac.length(); i < decimals; i++) {
			out.append('0');
		}
		return out.append(frac).toString();
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
		return fixed(p, 2) + "%";
	}
}
