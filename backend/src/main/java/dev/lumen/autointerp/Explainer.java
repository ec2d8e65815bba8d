package dev.lumen.autointerp;

/** Turns a feature's examples into a label and description. Implementations must be safe to call from several threads. */
public interface Explainer {

	/** @return the name stored in {@code feature_label.explainer}; reruns skip features labelled under this name */
	String name();

	/** @param examples a feature that fired at least once ({@link FeatureExamples#hasActivations()}) */
	Explanation explain(FeatureExamples examples);

	/** @return the language-model calls {@link #explain} makes for these examples (none for offline explainers) */
	default CallEstimate estimate(FeatureExamples examples) {
		return CallEstimate.NONE;
	}
}
