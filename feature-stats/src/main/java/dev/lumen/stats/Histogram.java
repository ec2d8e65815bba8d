package dev.lumen.stats;

/**
 * One feature's activation histogram.
 * @param edges bin edges, [bins + 1], ascending: bin i holds values in [edges[i], edges[i + 1])
 * @param counts counted positions per bin, [bins]
 */
public record Histogram(float[] edges, long[] counts) {
}
