package dev.lumen.map;

/** A rectangle of the map in map units ([0, 1000] on both axes). */
public record MapRegion(float x0, float y0, float x1, float y1) {

	public static final MapRegion ALL = new MapRegion(0, 0, 1000, 1000);

	/** @throws IllegalArgumentException when not a non-empty rectangle with finite corners */
	public MapRegion {
		if (!(Float.isFinite(x0) && Float.isFinite(y0) && Float.isFinite(x1) && Float.isFinite(y1)) || x1 <= x0
				|| y1 <= y0) {
			throw new IllegalArgumentException("region needs x0 < x1 and y0 < y1, got " + x0 + "," + y0 + " to " + x1 + ","
					+ y1);
		}
	}

	boolean contains(float x, float y) {
		return x >= this.x0 && x <= this.x1 && y >= this.y0 && y <= this.y1;
	}
}
