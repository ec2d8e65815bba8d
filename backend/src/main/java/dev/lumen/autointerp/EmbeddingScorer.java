package dev.lumen.autointerp;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.lumen.embedding.SharedEmbeddingModel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Offline embedding scorer: embeds the label and a snippet of each example with a local MiniLM (quantised
 * all-MiniLM-L6-v2, ONNX, no network) and reports the AUROC of the label's cosine similarity separating activating
 * snippets (around the peak of top and interval examples) from non-activating ones (around the middle of
 * zero-activation windows). 0.5 is chance, 1 perfect. No language model, so it scores heuristic labels too.
 */
public final class EmbeddingScorer implements Scorer {

	/** Tokens kept on each side of the peak (or middle): the label describes the peak, not the whole window. */
	static final int SNIPPET_RADIUS = 8;

	static final String MODEL_NAME = SharedEmbeddingModel.NAME;

	private final EmbeddingModel model;

	/** Uses the bundled quantised all-MiniLM-L6-v2, the JVM's one {@link SharedEmbeddingModel}. */
	public EmbeddingScorer() {
		this(SharedEmbeddingModel.instance());
	}

	EmbeddingScorer(EmbeddingModel model) {
		this.model = model;
	}

	@Override
	public String name() {
		return "embedding";
	}

	@Override
	public Scores score(FeatureExamples examples, Explanation explanation) {
		List<String> active = new ArrayList<>();
		for (ExampleWindow w : examples.top()) {
			active.add(snippet(w));
		}
		for (ExampleWindow w : examples.interval()) {
			if (w.peakPosition() > 0) {
				active.add(snippet(w));
			}
		}
		List<String> zero = new ArrayList<>();
		for (ExampleWindow w : examples.zero()) {
			if (w.tokens().size() > 1) {
				zero.add(snippet(w));
			}
		}
		Map<String, Object> summary = new LinkedHashMap<>();
		summary.put("model", MODEL_NAME);
		summary.put("n_active", active.size());
		summary.put("n_zero", zero.size());
		if (active.isEmpty() || zero.isEmpty()) {
			summary.put("auroc", null);
			return new Scores(summary, List.of());
		}
		List<TextSegment> texts = new ArrayList<>();
		texts.add(TextSegment.from(explanation.label()));
		active.forEach(s -> texts.add(TextSegment.from(s)));
		zero.forEach(s -> texts.add(TextSegment.from(s)));
		List<Embedding> embedded = this.model.embedAll(texts).content();
		float[] label = embedded.get(0).vector();
		double[] pos = new double[active.size()];
		double[] neg = new double[zero.size()];
		for (int i = 0; i < pos.length; i++) {
			pos[i] = cosine(label, embedded.get(1 + i).vector());
		}
		for (int i = 0; i < neg.length; i++) {
			neg[i] = cosine(label, embedded.get(1 + pos.length + i).vector());
		}
		summary.put("auroc", auroc(pos, neg));
		return new Scores(summary, List.of());
	}

	@Override
	public CallEstimate estimate(FeatureExamples examples) {
		return CallEstimate.NONE;
	}

	/** The text of up to {@link #SNIPPET_RADIUS} tokens each side of the peak (the middle for zero windows). */
	static String snippet(ExampleWindow w) {
		int centre = w.peakPosition() > 0 ? w.peakPosition() : Math.max(1, w.tokens().size() / 2);
		StringBuilder s = new StringBuilder();
		for (int t = Math.max(1, centre - SNIPPET_RADIUS); t <= Math.min(w.tokens().size() - 1, centre + SNIPPET_RADIUS); t++) {
			s.append(w.tokens().get(t));
		}
		String text = s.toString().strip();
		return text.isEmpty() ? "(blank)" : text;
	}

	/**
	 * Probability that a random positive scores above a random negative, ties counting half (the Mann-Whitney U
	 * statistic over all pairs; the sizes here are small).
	 */
	static double auroc(double[] positives, double[] negatives) {
		double wins = 0;
		for (double p : positives) {
			for (double n : negatives) {
				wins += p > n ? 1 : p == n ? 0.5 : 0;
			}
		}
		return wins / ((double) positives.length * negatives.length);
	}

	static double cosine(float[] a, float[] b) {
		double dot = 0;
		double na = 0;
		double nb = 0;
		for (int i = 0; i < a.length; i++) {
			dot += a[i] * b[i];
			na += a[i] * a[i];
			nb += b[i] * b[i];
		}
		return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
	}
}
