package dev.lumen.autointerp;

import java.util.List;

/**
 * What an explainer sees of one feature: its top examples, the interval samples across its activation range and
 * windows where it never fires (contrast).
 *
 * @param maxActivation the feature's max over the corpus (0 for a dead feature)
 */
public record FeatureExamples(long saeId, int featureIndex, float maxActivation, List<ExampleWindow> top,
		List<ExampleWindow> interval, List<ExampleWindow> zero) {

	public FeatureExamples {
		top = List.copyOf(top);
		interval = List.copyOf(interval);
		zero = List.copyOf(zero);
	}

	/** @return whether the feature fired anywhere in the stored examples */
	public boolean hasActivations() {
		return this.maxActivation > 0 && !this.top.isEmpty();
	}
}
