package dev.lumen.extraction;

/**
 * SAE feature activations for a batch of context windows, on the host.
 * @param windowIds corpus-wide id of each window, [batch]
 * @param lengths real tokens per window including BOS at position 0, [batch]; later positions are padding
 * @param positions padded window length
 * @param dSae number of features
 * @param activations row-major [batch, positions, dSae]
 */
record ActivationBatch(int[] windowIds, int[] lengths, int positions, int dSae, float[] activations) {

	ActivationBatch {
		if (activations.length != windowIds.length * positions * dSae || lengths.length != windowIds.length) {
			throw new IllegalArgumentException("activations hold " + activations.length + " values, expected batch "
					+ windowIds.length + " x positions " + positions + " x dSae " + dSae);
		}
	}

	int batch() {
		return this.windowIds.length;
	}
}
