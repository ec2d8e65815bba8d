package dev.lumen.analysis;

import dev.lumen.analysis.AnalysisResult.Prediction;
import dev.lumen.engine.tokenizer.Tokenizer;

/** Next-token predictions: probabilities from logits, and the target and contrast tokens a request names. */
final class Predictions {

	private Predictions() {
	}

	static Prediction of(Tokenizer tokenizer, int id, float[] logits, float[] probabilities) {
		return new Prediction(id, tokenizer.tokenString(id), logits[id], probabilities[id]);
	}

	/** {@code #123} is id 123; otherwise an exact token string, else a text that encodes to one token. */
	static int resolveToken(Tokenizer tokenizer, String text, String what) {
		if (text.matches("#\\d+")) {
			int id = Integer.parseInt(text.substring(1));
			if (id >= tokenizer.vocabSize()) {
				throw new AnalysisException(what + " token id " + id + " is outside the vocabulary (size "
						+ tokenizer.vocabSize() + ")");
			}
			return id;
		}
		for (int id = 0; id < tokenizer.vocabSize(); id++) {
			if (text.equals(tokenizer.tokenString(id))) {
				return id;
			}
		}
		int[] ids = tokenizer.encode(text, false);
		if (ids.length != 1) {
			throw new AnalysisException(what + " '" + text + "' is " + ids.length
					+ " tokens; give one token (its text, or #id)");
		}
		return ids[0];
	}

	static float[] softmax(float[] logits) {
		double max = Double.NEGATIVE_INFINITY;
		for (float l : logits) {
			max = Math.max(max, l);
		}
		double sum = 0;
		double[] e = new double[logits.length];
		for (int i = 0; i < logits.length; i++) {
			e[i] = Math.exp(logits[i] - max);
			sum += e[i];
		}
		float[] out = new float[logits.length];
		for (int i = 0; i < logits.length; i++) {
			out[i] = (float) (e[i] / sum);
		}
		return out;
	}
}
