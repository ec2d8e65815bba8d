package dev.lumen.engine.sae.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.lumen.engine.model.ForwardResult;
import dev.lumen.engine.model.HookFunction;
import dev.lumen.engine.model.HookNames;
import dev.lumen.engine.model.HookSpec;
import dev.lumen.engine.model.LanguageModel;
import dev.lumen.engine.sae.Sae;
import java.util.List;

/**
 * Evaluates an SAE on held-out text: reconstruction (L0, MSE, FVU, explained variance, dead/dense features,
 * density) and downstream next-token cross-entropy with the SAE's reconstruction spliced in at its hook, with the
 * hook zero-ablated, and clean.
 *
 * <p>Contexts are cut as in training ({@link TokenContexts}); the BOS position is neither spliced nor ablated nor
 * counted, and cross-entropy and KL are averaged over the predictions made at positions 1..pos−2, i.e. those
 * that read a spliced activation.
 */
public final class SaeEvaluator {

	private SaeEvaluator() {
	}

	/**
	 * Runs the evaluation.
	 *
	 * @param model the model the SAE reads from
	 * @param sae the SAE; its config's hook name must be one of the model's hooks
	 * @param documents held-out documents (read once, not cycled)
	 * @param contextSize tokens per context, BOS included
	 * @param maxContexts stop after this many contexts
	 * @param batchContexts contexts per forward pass
	 */
	public static SaeEvalResult evaluate(LanguageModel model, Sae sae, List<String> documents, int contextSize,
			int maxContexts, int batchContexts) {
		String hook = HookNames.validate(sae.config().hookName(), model);
		if (sae.config().dIn() != model.config().dModel()) {
			throw new IllegalArgumentException("SAE d_in=" + sae.config().dIn() + " does not match the model's dModel="
					+ model.config().dModel());
		}
		int[][] all = contexts(model, documents, contextSize, maxContexts);
		ReconstructionStats rec = new ReconstructionStats(sae.config().dIn(), sae.config().dSae());
		double ceClean = 0;
		double ceSae = 0;
		double ceZero = 0;
		double kl = 0;
		long predictions = 0;
		for (int start = 0; start < all.length; start += batchContexts) {
			int[][] ids = java.util.Arrays.copyOfRange(all, start, Math.min(all.length, start + batchContexts));
			try (NDManager scope = NDManager.newBaseManager(model.device())) {
				ForwardResult clean = model.run(ids, null, sae.config().modelProcessing().hooks(model), hook::equals, -1, scope);
				NDArray act = clean.cache().get(hook); // [batch, pos, dIn]
				rec.add(sae, act.get(":, 1:, :").reshape(-1, sae.config().dIn()));
				NDArray targets = scope.create(ids).get(":, 2:").toType(DataType.INT64, false); // [batch, pos-2]
				NDArray logpClean = logProbs(clean.logits()); // [batch, pos-2, vocab]
				NDArray logpSae = logProbs(model.run(ids, null,
						sae.config().modelProcessing().before(model, List.of(new HookSpec(hook, splice(sae::forward)))), null,
						-1, scope).logits());
				NDArray logpZero = logProbs(model.run(ids, null,
						sae.config().modelProcessing().before(model, List.of(new HookSpec(hook, splice(NDArray::zerosLike)))),
						null, -1, scope).logits());
				ceClean += nll(logpClean, targets);
				ceSae += nll(logpSae, targets);
				ceZero += nll(logpZero, targets);
				kl += logpClean.exp().mul(logpClean.sub(logpSae)).sum().getFloat();
				predictions += targets.size();
			}
		}
		ceClean /= predictions;
		ceSae /= predictions;
		ceZero /= predictions;
		kl /= predictions;
		float[] density = rec.density();
		int dead = 0;
		int dense = 0;
		for (float d : density) {
			dead += d == 0 ? 1 : 0;
			dense += d > 0.1 ? 1 : 0;
		}
		double fvu = rec.fvu();
		return new SaeEvalResult(rec.tokens(), rec.l0(), rec.mse(), fvu, 1 - fvu, (double) dead / density.length,
				(double) dense / density.length, density, ceClean, ceSae, ceZero, (ceZero - ceSae) / (ceZero - ceClean), kl);
	}

	/** Cuts the documents into at most {@code maxContexts} BOS-led contexts, one pass, no repetition. */
	static int[][] contexts(LanguageModel model, List<String> documents, int contextSize, int maxContexts) {
		TokenContexts stream = new TokenContexts(documents,
				WordChunkedEncoder.forTokenizer(model.tokenizer(), documents.get(0)),
				model.tokenizer().bosId(), contextSize);
		List<int[]> out = new java.util.ArrayList<>();
		while (out.size() < maxContexts) {
			int[] ctx = stream.next();
			if (stream.epochs() > 0) {
				break;
			}
			out.add(ctx);
		}
		if (out.isEmpty()) {
			throw new IllegalArgumentException("held-out text is shorter than one context of " + contextSize + " tokens");
		}
		return out.toArray(new int[0][]);
	}

	/** Replaces positions 1.. of the activation by {@code fn} of them, keeping BOS. */
	private static HookFunction splice(java.util.function.UnaryOperator<NDArray> fn) {
		return (a, name) -> {
			NDArray rest = a.get(":, 1:, :");
			return NDArrays.concat(new NDList(a.get(":, :1, :"), fn.apply(rest)), 1);
		};
	}

	/** @return log-probabilities of the predictions made at positions 1..pos−2, [batch, pos−2, vocab] */
	private static NDArray logProbs(NDArray logits) {
		Shape s = logits.getShape();
		return logits.get(":, 1:" + (s.get(1) - 1) + ", :").logSoftmax(-1);
	}

	/** @return summed negative log-likelihood of the targets */
	private static double nll(NDArray logp, NDArray targets) {
		return -logp.gather(targets.expandDims(-1), -1).sum().getFloat();
	}
}
