package dev.lumen.feature;

import dev.lumen.sae.ResolvedSae;

/** Runs an SAE's model on text a user typed and encodes it with the SAE. */
public interface ActivationProbe {

	/** Texts longer than this many characters are cut (and the page says so). */
	int MAX_TEXT_CHARS = 4000;

	/** At most this many tokens (or the model's context, if shorter) are run. */
	int MAX_TOKENS = 256;

	/**
	 * @param sae the SAE, whose model and weights must be readable on this server
	 * @param text any text; empty text gives the BOS token only
	 * @return the activations of every feature on every token
	 * @throws ProbeUnavailableException when the model or SAE files cannot be loaded here
	 */
	PromptActivations activations(ResolvedSae sae, String text);
}
