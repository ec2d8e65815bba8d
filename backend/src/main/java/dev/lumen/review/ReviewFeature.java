package dev.lumen.review;

/**
 * A feature as review pages name it: its SAE id and index, and the model and SAE slugs of its URL.
 * @param label the newest autointerp label, or null
 */
public record ReviewFeature(long saeId, int featureIndex, String modelName, String saeName, String label) {

	/** @return the feature page's path, {@code /{model}/{sae}/{index}} */
	public String path() {
		return "/" + this.modelName + "/" + this.saeName + "/" + this.featureIndex;
	}

	/** @return {@code model/sae/index}, the form comments use to mention a feature */
	public String mention() {
		return this.modelName + "/" + this.saeName + "/" + this.featureIndex;
	}
}
