package dev.lumen.engine.sae.training;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lumen.engine.sae.SaeFiles;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Quality of an SAE on held-out text. Token statistics skip the BOS position, which the SAE never trains on.
 *
 * @param tokens tokens evaluated
 * @param l0 mean number of active features per token
 * @param mse mean squared error per element, raw activation units
 * @param fvu fraction of variance unexplained: Σ‖x − x̂‖² / Σ‖x − x̄‖²
 * @param explainedVariance 1 − fvu
 * @param deadFraction fraction of features never active on the evaluation tokens
 * @param denseFraction fraction of features active on more than 10 % of tokens
 * @param density per-feature firing frequency, [dSae]
 * @param ceClean mean next-token cross-entropy (nats) of the unmodified model
 * @param ceSae the same with the SAE reconstruction spliced in at the hook
 * @param ceZero the same with the hook activation zeroed
 * @param ceLossRecovered (ceZero − ceSae) / (ceZero − ceClean)
 * @param klSae mean KL(clean ‖ spliced) of next-token distributions, nats
 */
public record SaeEvalResult(long tokens, double l0, double mse, double fvu, double explainedVariance,
		double deadFraction, double denseFraction, float[] density, double ceClean, double ceSae, double ceZero,
		double ceLossRecovered, double klSae) {

	/** File name of the evaluation written next to an SAE. */
	public static final String FILE = "eval.json";

	/** Lower edges of the log10-density histogram bins; the first bin also takes everything below -6. */
	private static final double[] EDGES = { -6, -5, -4, -3, -2.5, -2, -1.5, -1, -0.5, 0 };

	private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

	/** @return counts of live features per log10-density bin (edges {@code -6, -5, -4, -3, -2.5, ..., 0}) */
	public int[] densityHistogram() {
		int[] counts = new int[EDGES.length - 1];
		for (float d : this.density) {
			if (d <= 0) {
				continue;
			}
			double l = Math.log10(d);
			int bin = 0;
			while (bin < counts.length - 1 && l >= EDGES[bin + 1]) {
				bin++;
			}
			counts[bin]++;
		}
		return counts;
	}

	/** @return the metrics as the JSON object stored in {@code eval.json} */
	public ObjectNode toJson() {
		ObjectNode o = JSON.createObjectNode();
		o.put("tokens", this.tokens);
		o.put("l0", this.l0);
		o.put("mse", this.mse);
		o.put("fvu", this.fvu);
		o.put("explained_variance", this.explainedVariance);
		o.put("dead_fraction", this.deadFraction);
		o.put("dense_fraction", this.denseFraction);
		o.put("ce_loss_clean", this.ceClean);
		o.put("ce_loss_with_sae", this.ceSae);
		o.put("ce_loss_zero_ablation", this.ceZero);
		o.put("ce_loss_recovered", this.ceLossRecovered);
		o.put("kl_div_with_sae", this.klSae);
		ArrayNode hist = o.putArray("log10_density_histogram");
		int[] counts = densityHistogram();
		for (int i = 0; i < counts.length; i++) {
			hist.addObject().put("from", EDGES[i]).put("to", EDGES[i + 1]).put("features", counts[i]);
		}
		return o;
	}

	/** Writes {@code eval.json} and SAELens' {@code sparsity.safetensors} (log10 density, floor 1e-10) into the SAE directory. */
	public void writeTo(Path saeDirectory) throws IOException {
		SaeFiles.writeAtomically(saeDirectory.resolve(FILE), JSON.writeValueAsString(toJson()));
		float[] log = new float[this.density.length];
		for (int i = 0; i < log.length; i++) {
			log[i] = (float) Math.log10(Math.max(this.density[i], 1e-10));
		}
		SaeFiles.writeLogDensity(saeDirectory, log);
	}
}
