package dev.lumen.map;

import java.util.Locale;

/** Point colours: by cluster (a 12-colour palette) or by a statistic on a viridis-like ramp. */
public enum MapColours {

	CLUSTER("cluster"), DENSITY("density"), MAX("max"), SCORE("score"), FLAGGED("flagged");

	/** Tableau 10 plus two, distinguishable on white. */
	private static final String[] PALETTE = { "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948",
			"#b07aa1", "#ff9da7", "#9c755f", "#86bcb6", "#8cd17d", "#d37295" };

	/** Viridis at 0, 0.25, 0.5, 0.75, 1. */
	private static final int[][] RAMP = { { 68, 1, 84 }, { 59, 82, 139 }, { 33, 145, 140 }, { 94, 201, 98 },
			{ 253, 231, 37 } };

	static final String MISSING = "#c8c8c8";

	static final String FLAG = "#d62728";

	private final String param;

	MapColours(String param) {
		this.param = param;
	}

	public String param() {
		return this.param;
	}

	/** @throws IllegalArgumentException naming the valid values */
	public static MapColours parse(String value) {
		if (value == null || value.isBlank()) {
			return CLUSTER;
		}
		for (MapColours c : values()) {
			if (c.param.equals(value.toLowerCase(Locale.ROOT))) {
				return c;
			}
		}
		throw new IllegalArgumentException("colour '" + value + "' is not one of cluster, density, max, score, flagged");
	}

	/** @return the colour of a cluster (for legends) */
	public static String clusterColour(int cluster) {
		return cluster(cluster);
	}

	static String cluster(int cluster) {
		return PALETTE[Math.floorMod(cluster, PALETTE.length)];
	}

	/** @param t in [0, 1] (clamped); NaN gives the missing-value grey */
	static String ramp(double t) {
		if (Double.isNaN(t)) {
			return MISSING;
		}
		double s = Math.max(0, Math.min(1, t)) * (RAMP.length - 1);
		int i = Math.min(RAMP.length - 2, (int) s);
		double f = s - i;
		return String.format(Locale.ROOT, "#%02x%02x%02x", mix(RAMP[i][0], RAMP[i + 1][0], f),
				mix(RAMP[i][1], RAMP[i + 1][1], f), mix(RAMP[i][2], RAMP[i + 1][2], f));
	}

	private static int mix(int a, int b, double f) {
		return (int) Math.round(a + (b - a) * f);
	}
}
