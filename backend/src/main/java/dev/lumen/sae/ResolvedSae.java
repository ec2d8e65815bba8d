package dev.lumen.sae;

import dev.lumen.catalog.CatalogSae;

/**
 * An SAE found by its URL, with the model fields pages need, so no lazy loading happens outside a transaction.
 */
public record ResolvedSae(long modelId, String modelName, String modelDisplayName, CatalogSae sae) {

	public long saeId() {
		return this.sae.getId();
	}

	public String saeName() {
		return this.sae.getName();
	}

	/** @return the SAE overview path, {@code /{model}/{sae}} */
	public String href() {
		return "/" + this.modelName + "/" + this.sae.getName();
	}

	/** @return a feature's permalink path, {@code /{model}/{sae}/{index}} */
	public String featureHref(int index) {
		return href() + "/" + index;
	}
}
