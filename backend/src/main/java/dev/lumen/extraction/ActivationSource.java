package dev.lumen.extraction;

import java.util.List;

/** Produces SAE feature activations for windows: the model forward to the SAE's hook, then the SAE encoder. */
interface ActivationSource {

	/** @return activations for these windows, padded to the context size */
	ActivationBatch activations(List<CorpusWindows.Window> windows);

	/** @return number of SAE features */
	int dSae();
}
