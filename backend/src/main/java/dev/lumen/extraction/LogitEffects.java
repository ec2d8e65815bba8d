package dev.lumen.extraction;

import dev.lumen.engine.model.LanguageModel;
import dev.lumen.engine.sae.Sae;

/**
 * Each feature's logit effects: its decoder row through the model's final norm gain and unembedding
 * ({@link LanguageModel#directionLogits}), keeping the {@code n} most positive and most negative tokens.
 * Computed in blocks of features so memory stays at block × vocab.
 */
final class LogitEffects {

	private static final int BLOCK = 256;

	/** Top tokens of one feature: ids and values, most positive (or most negative) first. */
	record Effects(int[] topIds, float[] topValues, int[] bottomIds, float[] bottomValues) {
	}

	private LogitEffects() {
	}

	static Effects[] compute(LanguageModel model, Sae sae, int n) {
		int dSae = sae.config().dSae();
		Effects[] out = new Effects[dSae];
		for (int from = 0; from < dSae; from += BLOCK) {
			int to = Math.min(dSae, from + BLOCK);
			float[][] dirs = new float[to - from][];
			for (int f = from; f < to; f++) {
				dirs[f - from] = sae.decoderVector(f);
			}
			float[][] logits = model.directionLogits(dirs);
			for (int f = from; f < to; f++) {
				out[f] = extremes(logits[f - from], n);
			}
		}
		return out;
	}

	/** @return the n largest and n smallest entries (ties: the smaller id first) */
	static Effects extremes(float[] values, int n) {
		int k = Math.min(n, values.length);
		int[] top = select(values, k, true);
		int[] bottom = select(values, k, false);
		float[] topV = new float[k];
		float[] bottomV = new float[k];
		for (int i = 0; i < k; i++) {
			topV[i] = values[top[i]];
			bottomV[i] = values[bottom[i]];
		}
		return new Effects(top, topV, bottom, bottomV);
	}

	private static int[] select(float[] values, int k, boolean largest) {
		int[] idx = new int[k];
		int size = 0;
		for (int v = 0; v < values.length; v++) {
			float x = largest ? values[v] : -values[v];
			if (size < k || x > (largest ? values[idx[size - 1]] : -values[idx[size - 1]])) {
				int pos = size < k ? size++ : size - 1;
				while (pos > 0 && (largest ? values[idx[pos - 1]] : -values[idx[pos - 1]]) < x) {
					idx[pos] = idx[pos - 1];
					pos--;
				}
				idx[pos] = v;
			}
		}
		return idx;
	}
}
