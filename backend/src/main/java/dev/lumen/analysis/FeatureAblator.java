package dev.lumen.analysis;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.lumen.engine.model.HookSpec;
import dev.lumen.engine.model.LanguageModel;
import dev.lumen.engine.sae.Sae;
import java.util.List;

/**
 * Ablation effects: the logit difference when chosen features are set to zero at every position after BOS, with
 * the SAE's error term kept: x′ = decode(f′) + (x − decode(f)) = x − (decode(f ⊙ m) − decode(0)), m the one-hot
 * mask of the zeroed features. Several ablations run as one batch (one row each, same prompt).
 */
public final class FeatureAblator {

	/** Rows per forward pass: bounds native memory for long prompts and many ablations. */
	static final int BATCH = 16;

	private FeatureAblator() {
	}

	/**
	 * @param featureSets one set of features to zero per ablation
	 * @return logit(target) − logit(contrast) at the last position for each ablation
	 */
	public static float[] logitDifferences(LanguageModel model, Sae sae, int[] tokens, int target, int contrast,
			List<int[]> featureSets) {
		float[] out = new float[featureSets.size()];
		for (int start = 0; start < featureSets.size(); start += BATCH) {
			List<int[]> chunk = featureSets.subList(start, Math.min(featureSets.size(), start + BATCH));
			float[] part = runChunk(model, sae, tokens, target, contrast, chunk);
			System.arraycopy(part, 0, out, start, part.length);
		}
		return out;
	}

	/** @return the clean logit difference (no hook) */
	public static float cleanLogitDifference(LanguageModel model, int[] tokens, int target, int contrast) {
		float[] last = lastLogits(model, tokens);
		return last[target] - last[contrast];
	}

	/** @return the clean logits at the last position, [vocab] */
	public static float[] lastLogits(LanguageModel model, int[] tokens) {
		try (NDManager manager = NDManager.newBaseManager(model.device())) {
			NDArray logits = model.run(new int[][] { tokens }, null, List.of(), null, -1, manager).logits(); // [1, pos, vocab]
			return logits.get(new NDIndex("0, {}, :", tokens.length - 1)).toType(DataType.FLOAT32, false).toFloatArray();
		}
	}

	private static float[] runChunk(LanguageModel model, Sae sae, int[] tokens, int target, int contrast,
			List<int[]> featureSets) {
		int rows = featureSets.size();
		int dSae = sae.config().dSae();
		float[] mask = new float[rows * dSae]; // [rows, 1, dSae]
		for (int r = 0; r < rows; r++) {
			for (int feature : featureSets.get(r)) {
				if (feature < 0 || feature >= dSae) {
					throw new IllegalArgumentException("feature " + feature + " does not exist: the SAE has " + dSae + " features");
				}
				mask[r * dSae + feature] = 1f;
			}
		}
		int[][] batch = new int[rows][];
		for (int r = 0; r < rows; r++) {
			batch[r] = tokens;
		}
		HookSpec ablate = new HookSpec(sae.config().hookName(), (activation, name) -> {
			NDManager scope = activation.getManager();
			NDArray x = activation.toType(DataType.FLOAT32, false); // [rows, pos, dIn]
			NDArray head = x.get(new NDIndex(":, 0:1, :")); // [rows, 1, dIn]
			NDArray rest = x.get(new NDIndex(":, 1:, :")); // [rows, pos − 1, dIn]
			NDArray f = sae.encode(rest); // [rows, pos − 1, dSae]
			NDArray m = scope.create(mask, new Shape(rows, 1, dSae)).toDevice(x.getDevice(), false); // [rows, 1, dSae]
			NDArray removed = sae.decode(f.mul(m)).sub(sae.decode(f.zerosLike())); // [rows, pos − 1, dIn]
			NDArray ablated = rest.sub(removed); // [rows, pos − 1, dIn]
			return NDArrays.concat(new NDList(head, ablated), 1).toType(activation.getDataType(), false);
		});
		try (NDManager manager = NDManager.newBaseManager(model.device())) {
			NDArray logits = model.run(batch, null, sae.config().modelProcessing().before(model, List.of(ablate)), null, -1,
					manager).logits(); // [rows, pos, vocab]
			NDArray last = logits.get(new NDIndex(":, {}, :", tokens.length - 1)).toType(DataType.FLOAT32, false); // [rows, vocab]
			float[] out = new float[rows];
			for (int r = 0; r < rows; r++) {
				out[r] = last.getFloat(r, target) - last.getFloat(r, contrast);
			}
			return out;
		}
	}
}
