package dev.lumen.sae;

/**
 * One row of an SAE's feature table.
 * @param label the newest label, or null
 * @param heuristic whether that label is an offline heuristic one
 */
public record FeatureRow(int index, String label, boolean heuristic, Float density, Float maxActivation, Double auroc,
		Double specificity) {

	/** A row without scores. */
	public FeatureRow(int index, String label, boolean heuristic, Float density, Float maxActivation) {
		this(index, label, heuristic, density, maxActivation, null, null);
	}

	/** @return whether extraction found the feature never active in the corpus */
	public boolean dead() {
		return this.density != null && this.density == 0;
	}
}
