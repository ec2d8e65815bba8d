package dev.lumen.analysis;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import dev.lumen.engine.model.HookSpec;
import dev.lumen.engine.model.LanguageModel;
import dev.lumen.engine.sae.Sae;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Feature attribution for a next-token prediction ("Scaling Monosemanticity"): the SAE is spliced at its hook as
 * x′ = decode(f) + stop_grad(x − decode(f)), so the forward pass is unchanged while the logit difference
 * D = logit(target) − logit(contrast) at the last position depends on the features f; one backward pass gives
 * ∂D/∂f, and attribution = f · ∂D/∂f per position and feature.
 *
 * <p>Position 0 holds BOS when the prompt starts with it; its activation is an outlier the SAE was never trained on
 * (training and evaluation drop it), so it is left unspliced and gets no attribution.
 *
 * <p>DJL allows one {@link GradientCollector} per JVM at a time, so backward passes are serialised by a lock.
 */
public final class FeatureAttributor {

	private static final ReentrantLock COLLECTOR = new ReentrantLock();

	private FeatureAttributor() {
	}

	/**
	 * @param tokens prompt token ids (BOS first when the model uses it), length ≥ 2
	 * @param target the token whose logit counts positively
	 * @param contrast the token whose logit counts negatively
	 * @return activations, gradients and the logit difference
	 */
	public static Attribution attribute(LanguageModel model, Sae sae, int[] tokens, int target, int contrast) {
		if (tokens.length < 2) {
			throw new IllegalArgumentException("the prompt needs at least one token after BOS");
		}
		String hook = sae.config().hookName();
		int pos = tokens.length;
		int dSae = sae.config().dSae();
		COLLECTOR.lock();
		try (NDManager manager = NDManager.newBaseManager(model.device())) {
			NDArray[] features = new NDArray[1]; // leaf [1, pos − 1, dSae]
			HookSpec splice = new HookSpec(hook, (activation, name) -> {
				NDManager scope = activation.getManager();
				NDArray x = activation.toType(DataType.FLOAT32, false); // [1, pos, dIn]
				NDArray head = x.get(new NDIndex(":, 0:1, :")); // [1, 1, dIn]
				NDArray rest = x.get(new NDIndex(":, 1:, :")).stopGradient(); // [1, pos − 1, dIn]
				NDArray f = sae.encode(rest).stopGradient(); // [1, pos − 1, dSae]
				f.attach(manager);
				f.setRequiresGradient(true);
				features[0] = f;
				NDArray reconstruction = sae.decode(f); // [1, pos − 1, dIn], in manager
				NDArray error = rest.sub(reconstruction).stopGradient(); // [1, pos − 1, dIn]
				NDArray spliced = reconstruction.add(error); // [1, pos − 1, dIn]
				spliced.attach(scope);
				return NDArrays.concat(new ai.djl.ndarray.NDList(head, spliced), 1).toType(activation.getDataType(), false);
			});
			float difference;
			float[] gradient;
			float[] logitsLast;
			try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
				NDArray logits = model.forwardRecordingGradients(new int[][] { tokens },
						sae.config().modelProcessing().before(model, List.of(splice)), manager); // [1, pos, vocab]
				NDArray last = logits.get(new NDIndex("0, {}, :", pos - 1)); // [vocab]
				NDArray d = last.get(target).sub(last.get(contrast));
				difference = d.getFloat();
				logitsLast = last.toType(DataType.FLOAT32, false).toFloatArray();
				collector.backward(d);
				gradient = features[0].getGradient().toFloatArray();
			}
			float[] activation = features[0].toFloatArray();
			return new Attribution(tokens.clone(), target, contrast, difference, logitsLast,
					unflatten(activation, pos, dSae), unflatten(gradient, pos, dSae));
		}
		finally {
			COLLECTOR.unlock();
		}
	}

	/** [pos − 1 rows from position 1] → [pos][dSae] with row 0 (BOS) all zeros. */
	private static float[][] unflatten(float[] flat, int pos, int dSae) {
		float[][] out = new float[pos][dSae];
		for (int p = 1; p < pos; p++) {
			System.arraycopy(flat, (p - 1) * dSae, out[p], 0, dSae);
		}
		return out;
	}
}
