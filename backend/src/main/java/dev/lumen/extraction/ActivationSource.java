package dev.lumen.extraction;

import dev.lumen.stats.WindowActivations;
import java.util.List;

/** Produces SAE feature activations for windows: the model forward to the SAE's hook, then the SAE encoder. */
interface ActivationSource {

	/** @return each window's sparse activations (real tokens only; padding never appears) */
	List<WindowActivations> activations(List<CorpusWindows.Window> windows);

	/** @return number of SAE features */
	int dSae();
}
