package dev.lumen.search;

/**
 * A feature whose newest label matches a search.
 * @param score full-text rank plus trigram word similarity; higher is better
 */
public record LabelMatch(String modelName, String saeName, int featureIndex, String label, String description,
		boolean heuristic, double score) {

	/** @return the feature's permalink */
	public String href() {
		return "/" + this.modelName + "/" + this.saeName + "/" + this.featureIndex;
	}
}
