package dev.lumen.map;

/**
 * A point as drawn: feature index, position, fill colour, and its label (null when none).
 * @param match the feature matches the map's search
 */
public record MapPoint(int index, float x, float y, String fill, String label, boolean match) {
}
