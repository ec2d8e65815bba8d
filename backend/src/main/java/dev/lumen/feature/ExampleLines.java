package dev.lumen.feature;

import dev.lumen.feature.ExampleLine.TokenCell;
import java.util.ArrayList;
import java.util.List;

/** Turns stored examples into lines of coloured tokens, with a window centred on the strongest token. */
final class ExampleLines {

	/** Tokens shown on each side of the strongest token before a line is expanded. */
	static final int WINDOW_RADIUS = 12;

	private ExampleLines() {
	}

	/**
	 * @param example a stored example; its token ids and activations must have the same length
	 * @param scale the feature's max activation, so colours compare across lines (the line's own max if 0)
	 * @throws IllegalStateException when the stored arrays disagree in length
	 */
	static ExampleLine line(StoredExample example, double scale, long modelId, TokenVocabulary vocabulary) {
		return line(example, scale, modelId, vocabulary, WINDOW_RADIUS);
	}

	/** Same as {@link #line(StoredExample, double, long, TokenVocabulary)} with a window of {@code radius} tokens. */
	static ExampleLine line(StoredExample example, double scale, long modelId, TokenVocabulary vocabulary, int radius) {
		int[] ids = example.tokenIds(); // [pos]
		float[] acts = example.activations(); // [pos]
		if (ids.length != acts.length) {
			throw new IllegalStateException("example " + example.kind() + "/" + example.intervalIndex() + "/"
					+ example.rank() + " has " + ids.length + " tokens but " + acts.length + " activations");
		}
		int maxPos = strongest(example);
		double s = scale > 0 ? scale : Math.max(example.maxActivation(), 1e-12f);
		int from = Math.max(0, maxPos - radius);
		int to = (int) Math.min(ids.length, (long) maxPos + radius + 1);
		List<TokenCell> cells = new ArrayList<>(ids.length);
		for (int i = 0; i < ids.length; i++) {
			float a = acts[i];
			double level = Math.max(0, Math.min(1, a / s));
			cells.add(new TokenCell(vocabulary.visible(modelId, ids[i]), a, level, i == maxPos,
					i >= from && i < to));
		}
		String id = example.kind().equals("interval") ? "interval-" + example.intervalIndex() + "-" + example.rank()
				: example.kind() + "-" + example.rank();
		return new ExampleLine(id, example.kind(), example.intervalIndex(), example.rank(), example.corpus(),
				example.docIndex(), example.startPos(), example.maxActivation(), cells, from, ids.length - to);
	}

	/** The stored max position, unless it is out of range (then the argmax of the activations). */
	private static int strongest(StoredExample example) {
		float[] acts = example.activations();
		int p = example.maxPosition();
		if (p >= 0 && p < acts.length) {
			return p;
		}
		int best = 0;
		for (int i = 1; i < acts.length; i++) {
			if (acts[i] > acts[best]) {
				best = i;
			}
		}
		return best;
	}
}
