package dev.lumen.stats;

/**
 * The total orders that decide which examples are kept. Both break ties by the smaller window id, so what is
 * kept never depends on the order windows arrive in (or on how a corpus was split between partial runs).
 */
enum ExampleOrder {

	/** Top examples: larger max activation first. */
	BY_ACTIVATION,

	/** Samples: smaller sampling key first (bottom-k sampling = uniform sampling without replacement). */
	BY_KEY;

	/** @return true when (max1, key1, window1) ranks before (max2, key2, window2) */
	boolean better(float max1, double key1, int window1, float max2, double key2, int window2) {
		if (this == BY_ACTIVATION) {
			return max1 > max2 || (max1 == max2 && window1 < window2);
		}
		return key1 < key2 || (key1 == key2 && window1 < window2);
	}

	boolean better(Example a, Example b) {
		return better(a.maxActivation(), a.key(), a.window(), b.maxActivation(), b.key(), b.window());
	}

	int compare(Example a, Example b) {
		return better(a, b) ? -1 : better(b, a) ? 1 : 0;
	}
}
