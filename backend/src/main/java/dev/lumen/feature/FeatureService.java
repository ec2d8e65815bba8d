package dev.lumen.feature;

import dev.lumen.display.ActivationFormat;
import dev.lumen.display.BarChart;
import dev.lumen.display.BarCharts;
import dev.lumen.sae.NotInCatalogException;
import dev.lumen.sae.NotInCatalogException.Suggestion;
import dev.lumen.sae.ResolvedSae;
import dev.lumen.sae.SaeDirectory;
import dev.lumen.system.ModelWork;
import dev.lumen.feature.FeaturePage.IntervalGroup;
import dev.lumen.feature.FeaturePage.SiblingNeighbours;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;

/** Assembles feature pages from the stored statistics, examples, labels and decoder neighbourhoods. */
@Service
public class FeatureService {

	/** Neighbours listed from the feature's own SAE. */
	static final int NEIGHBOURS = 10;

	/** Neighbours listed from each other SAE on the same hook. */
	static final int SIBLING_NEIGHBOURS = 5;

	private final FeatureRepository features;

	private final FeatureNeighbourRepository neighbours;

	private final TokenVocabulary vocabulary;

	private final SaeDirectory directory;

	private final ActivationProbe probe;

	private final ModelWork work;

	public FeatureService(FeatureRepository features, FeatureNeighbourRepository neighbours, TokenVocabulary vocabulary,
			SaeDirectory directory, ActivationProbe probe, ModelWork work) {
		this.work = work;
		this.features = features;
		this.neighbours = neighbours;
		this.vocabulary = vocabulary;
		this.directory = directory;
		this.probe = probe;
	}

	/**
	 * Runs the model and SAE on a user's text and colours it by this feature's activation.
	 * @param text null or blank for nothing
	 */
	public TryText tryText(ResolvedSae sae, int index, String text, FeatureStats stats) {
		if (text == null || text.isBlank()) {
			return new TryText(text, null, 0, false, null);
		}
		try {
			PromptActivations acts;
			try (ModelWork.Permit permit = this.work.enter(ModelWork.Kind.PROBE, List.of(text))) {
				acts = this.probe.activations(sae, text);
			}
			float[] column = acts.feature(index); // [pos]
			int maxPos = 0;
			for (int p = 1; p < column.length; p++) {
				if (column[p] > column[maxPos]) {
					maxPos = p;
				}
			}
			StoredExample asExample = new StoredExample("try", 0, 0, "your text", 0, 0, maxPos, column[maxPos],
					acts.tokenIds(), column);
			double scale = stats.maxActivation() != null ? stats.maxActivation() : 0;
			ExampleLine line = ExampleLines.line(asExample, scale, sae.modelId(), this.vocabulary, Integer.MAX_VALUE);
			return new TryText(text, line, column[maxPos], acts.truncated(), null);
		}
		catch (ProbeUnavailableException ex) {
			return new TryText(text, null, 0, false, ex.getMessage());
		}
	}

	/**
	 * @return the statistics of a feature the SAE has
	 * @throws NotInCatalogException when the index is within d_sae but extraction has not stored the feature
	 */
	public FeatureStats stats(ResolvedSae sae, int index) {
		return this.features.findStats(sae.saeId(), index)
			.orElseThrow(() -> new NotInCatalogException("Feature not extracted yet", "Feature " + index + " of SAE "
					+ sae.saeName() + " has no stored data yet: extraction has not reached it.",
					List.of(new Suggestion("SAE " + sae.saeName() + " overview", sae.href()))));
	}

	/**
	 * @param openInterval an activation interval whose examples come with the page (for browsers without
	 *     JavaScript), or null; the others are loaded separately ({@link #intervalLines})
	 * @return the whole feature page
	 */
	public FeaturePage page(ResolvedSae sae, int index, Integer openInterval) {
		FeatureStats stats = stats(sae, index);
		long saeId = sae.saeId();
		FeatureLabel label = this.features.findLatestLabel(saeId, index).orElse(null);
		BarChart activation = this.features.findHistogram(saeId, index, "activation")
			.map(h -> BarCharts.activation(h.binEdges(), h.counts()))
			.orElse(null);
		double scale = scale(stats);
		BarChart specificity = label == null ? null : specificity(this.features.findSpecificityRatings(label.id()), scale);
		List<ExampleLine> top = new ArrayList<>();
		List<ExampleLine> zero = new ArrayList<>();
		for (StoredExample e : this.features.findTopAndZeroExamples(saeId, index)) {
			if (e.tokenIds().length > 0) {
				(e.kind().equals("top") ? top : zero).add(ExampleLines.line(e, scale, sae.modelId(), this.vocabulary));
			}
		}
		List<IntervalGroup> intervals = new ArrayList<>();
		for (FeatureRepository.IntervalSummary s : this.features.findIntervalSummaries(saeId, index)) {
			String range = "max activation " + ActivationFormat.format(s.minActivation()) + " – "
					+ ActivationFormat.format(s.maxActivation());
			List<ExampleLine> lines = Integer.valueOf(s.intervalIndex()).equals(openInterval)
					? intervalLines(sae, index, s.intervalIndex(), stats) : null;
			intervals.add(new IntervalGroup(s.intervalIndex(), range, s.count(), lines));
		}
		LogitTokens logits = this.features.findLogitEffects(saeId, index)
			.map(effects -> LogitTokens.of(effects, id -> this.vocabulary.visible(sae.modelId(), id)))
			.orElse(LogitTokens.NONE);
		return new FeaturePage(sae, index, stats, label, activation, specificity, top, intervals, zero, logits.positive(),
				logits.negative(), cooccurring(sae, index), neighbours(sae, index), siblingNeighbours(sae, index));
	}

	/** @return the examples of one activation interval as lines */
	public List<ExampleLine> intervalLines(ResolvedSae sae, int index, int interval, FeatureStats stats) {
		double scale = scale(stats);
		return this.features.findIntervalExamples(sae.saeId(), index, interval)
			.stream()
			.filter(e -> e.tokenIds().length > 0)
			.map(e -> ExampleLines.line(e, scale, sae.modelId(), this.vocabulary))
			.toList();
	}

	private static double scale(FeatureStats stats) {
		return stats.maxActivation() != null ? stats.maxActivation() : 0;
	}

	/** @return the nearest features by decoder cosine in the feature's own SAE, with labels */
	public List<LinkedFeature> neighbours(ResolvedSae sae, int index) {
		return linked(sae, this.neighbours.neighboursOf(sae.sae(), index, NEIGHBOURS));
	}

	/**
	 * @return for every other SAE on the same model and hook with the same d_in, its nearest features: the lists
	 *     stored by {@code lumen map}; a sibling without a current list is queried once through its HNSW index and
	 *     the answer stored, so later views of the page run no vector query
	 */
	public List<SiblingNeighbours> siblingNeighbours(ResolvedSae sae, int index) {
		List<ResolvedSae> siblings = this.directory.siblings(sae)
			.stream()
			.filter(s -> s.sae().getDIn() == sae.sae().getDIn())
			.toList();
		if (siblings.isEmpty()) {
			return List.of();
		}
		Map<Long, List<FeatureNeighbour>> stored = this.neighbours.storedSiblingNeighbours(sae.saeId(), index,
				SIBLING_NEIGHBOURS);
		float[] decoder = null;
		List<SiblingNeighbours> out = new ArrayList<>();
		for (ResolvedSae sibling : siblings) {
			List<FeatureNeighbour> found = stored.get(sibling.saeId());
			if (found == null) {
				decoder = decoder != null ? decoder : this.neighbours.decoder(sae.sae(), index).orElse(null);
				if (decoder == null) {
					return List.of();
				}
				found = this.neighbours.nearest(sibling.sae(), decoder, SIBLING_NEIGHBOURS);
				this.neighbours.storeSiblingNeighbours(sae.saeId(), index, sibling.saeId(), found);
			}
			out.add(new SiblingNeighbours(sibling, linked(sibling, found)));
		}
		return out;
	}

	/** @return the co-occurring features with their labels, strongest first */
	public List<LinkedFeature> cooccurring(ResolvedSae sae, int index) {
		return this.features.findCooccurrence(sae.saeId(), index).map(c -> {
			Map<Integer, String> labels = this.features.findLabelTexts(sae.saeId(), c.otherIndices());
			List<LinkedFeature> out = new ArrayList<>();
			for (int i = 0; i < c.otherIndices().length; i++) {
				int other = c.otherIndices()[i];
				out.add(new LinkedFeature(sae.saeName(), other, c.scores()[i], labels.get(other), sae.featureHref(other)));
			}
			return out;
		}).orElse(List.of());
	}

	private List<LinkedFeature> linked(ResolvedSae sae, List<FeatureNeighbour> found) {
		int[] indices = found.stream().mapToInt(FeatureNeighbour::featureIndex).toArray();
		Map<Integer, String> labels = this.features.findLabelTexts(sae.saeId(), indices);
		return found.stream()
			.map(n -> new LinkedFeature(sae.saeName(), n.featureIndex(), n.cosine(), labels.get(n.featureIndex()),
					sae.featureHref(n.featureIndex())))
			.toList();
	}

	private static BarChart specificity(List<SpecificityRating> ratings, double scale) {
		float[] activations = new float[ratings.size()];
		int[] scores = new int[ratings.size()];
		for (int i = 0; i < activations.length; i++) {
			activations[i] = ratings.get(i).activation();
			scores[i] = ratings.get(i).score();
		}
		return BarCharts.specificity(activations, scores, scale);
	}

}
