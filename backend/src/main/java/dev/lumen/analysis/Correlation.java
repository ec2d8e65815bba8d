package dev.lumen.analysis;

/** Pearson correlation, for attribution vs ablation ("verify by ablation"). */
public final class Correlation {

	private Correlation() {
	}

	/** @return Pearson's r, or NaN when fewer than two values or either side is constant */
	public static double pearson(double[] x, double[] y) {
		if (x.length != y.length) {
			throw new IllegalArgumentException("lengths differ: " + x.length + " vs " + y.length);
		}
		int n = x.length;
		if (n < 2) {
			return Double.NaN;
		}
		double mx = 0;
		double my = 0;
		for (int i = 0; i < n; i++) {
			mx += x[i];
			my += y[i];
		}
		mx /= n;
		my /= n;
		double sxy = 0;
		double sxx = 0;
		double syy = 0;
		for (int i = 0; i < n; i++) {
			sxy += (x[i] - mx) * (y[i] - my);
			sxx += (x[i] - mx) * (x[i] - mx);
			syy += (y[i] - my) * (y[i] - my);
		}
		return sxx == 0 || syy == 0 ? Double.NaN : sxy / Math.sqrt(sxx * syy);
	}
}
