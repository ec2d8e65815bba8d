package dev.lumen.analysis;

import dev.lumen.analysis.AnalysisResult.FeatureRow;
import dev.lumen.analysis.AnalysisResult.FeatureTrace;
import dev.lumen.analysis.AnalysisResult.PositionRows;
import dev.lumen.analysis.AnalysisResult.Prediction;
import dev.lumen.analysis.AnalysisResult.Token;
import dev.lumen.analysis.AnalysisResult.Verification;
import dev.lumen.catalog.CatalogModel;
import dev.lumen.catalog.CatalogModelRepository;
import dev.lumen.catalog.CatalogSae;
import dev.lumen.catalog.CatalogSaeRepository;
import dev.lumen.catalog.LeasedCache;
import dev.lumen.catalog.LoadedModels;
import dev.lumen.catalog.SourceUnavailableException;
import dev.lumen.engine.model.LanguageModel;
import dev.lumen.engine.sae.Sae;
import dev.lumen.engine.tokenizer.Tokenizer;
import dev.lumen.feature.FeatureRepository;
import dev.lumen.playground.GenerationSlots;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;

/**
 * Checks an analysis request against the catalog and the limits, then runs one backward pass (attribution) and the
 * requested ablations inside a generation slot shared with the playground.
 */
@Service
public class AnalysisService {

	static final int PREDICTIONS = 10;

	private final CatalogModelRepository models;

	private final CatalogSaeRepository saes;

	private final FeatureRepository features;

	private final LoadedModels loaded;

	private final GenerationSlots slots;

	private final int maxPromptTokens;

	private final int maxAblations;

	private final int maxTop;

	public AnalysisService(CatalogModelRepository models, CatalogSaeRepository saes, FeatureRepository features,
			LoadedModels loaded, GenerationSlots slots, @Value("${lumen.analysis.max-prompt-tokens:128}") int maxPromptTokens,
			@Value("${lumen.analysis.max-ablations:64}") int maxAblations, @Value("${lumen.analysis.max-top:50}") int maxTop) {
		this.models = models;
		this.saes = saes;
		this.features = features;
		this.loaded = loaded;
		this.slots = slots;
		this.maxPromptTokens = maxPromptTokens;
		this.maxAblations = maxAblations;
		this.maxTop = maxTop;
	}

	/** @return the most prompt tokens (BOS included) an analysis accepts */
	public int maxPromptTokens() {
		return this.maxPromptTokens;
	}

	/** @return the most ablations one analysis runs */
	public int maxAblations() {
		return this.maxAblations;
	}

	/**
	 * @throws AnalysisException for an unknown model or SAE, a bad token, or a limit exceeded
	 * @throws dev.lumen.playground.PlaygroundBusyException when every slot is taken
	 */
	public AnalysisResult analyze(AnalyzeRequest request) {
		if (request == null) {
			throw new AnalysisException("the request body is empty; send model, sae and prompt");
		}
		if (request.model() == null || request.model().isBlank()) {
			throw new AnalysisException("no model given");
		}
		if (request.sae() == null || request.sae().isBlank()) {
			throw new AnalysisException("no SAE given");
		}
		CatalogModel model = this.models.findByName(request.model())
			.orElseThrow(() -> new AnalysisException("unknown model '" + request.model() + "'"));
		CatalogSae catalogSae = this.saes.findByModelNameAndName(model.getName(), request.sae())
			.orElseThrow(() -> new AnalysisException("model '" + model.getName() + "' has no SAE '" + request.sae() + "'"));
		if (request.prompt() == null || request.prompt().isBlank()) {
			throw new AnalysisException("the prompt is empty");
		}
		int top = request.top() == null ? 10 : request.top();
		if (top < 1 || top > this.maxTop) {
			throw new AnalysisException("top must be between 1 and " + this.maxTop + ", got " + top);
		}
		int verify = request.verify() == null ? 10 : request.verify();
		if (verify < 0 || verify > this.maxAblations) {
			throw new AnalysisException("verify (the number of ablations) must be between 0 and " + this.maxAblations
					+ ", got " + verify);
		}
		if (request.prompt().length() > 20 * this.maxPromptTokens) {
			throw new AnalysisException("the prompt is too long: at most " + this.maxPromptTokens + " tokens");
		}
		try (LeasedCache.Lease<LanguageModel> lmLease = lease(() -> this.loaded.model(model.getSource()));
				LeasedCache.Lease<Sae> saeLease = lease(() -> this.loaded.sae(catalogSae.getSource()))) {
			return analyze(model, catalogSae, lmLease.get(), saeLease.get(), request, top, verify);
		}
	}

	private static <T extends AutoCloseable> LeasedCache.Lease<T> lease(java.util.function.Supplier<LeasedCache.Lease<T>> taking) {
		try {
			return taking.get();
		}
		catch (SourceUnavailableException ex) {
			throw new AnalysisException(ex.getMessage());
		}
	}

	private AnalysisResult analyze(CatalogModel model, CatalogSae catalogSae, LanguageModel lm, Sae sae,
			AnalyzeRequest request, int top, int verify) {
		Tokenizer tokenizer = lm.tokenizer();
		int[] tokens = tokenizer.encode(request.prompt(), true);
		if (tokens.length > this.maxPromptTokens) {
			throw new AnalysisException("the prompt is too long: " + tokens.length + " tokens, at most "
					+ this.maxPromptTokens + " (BOS included)");
		}
		if (tokens.length > lm.config().maxSeqLen()) {
			throw new AnalysisException("the prompt has " + tokens.length + " tokens but the model's context is "
					+ lm.config().maxSeqLen());
		}
		if (tokens.length < 2) {
			throw new AnalysisException("the prompt needs at least one token");
		}
		try (GenerationSlots.Slot slot = this.slots.enter(dev.lumen.system.ModelWork.Kind.ANALYSIS)) {
			return run(model, catalogSae, lm, sae, tokens, request, top, verify);
		}
	}

	private AnalysisResult run(CatalogModel model, CatalogSae catalogSae, LanguageModel lm, Sae sae, int[] tokens,
			AnalyzeRequest request, int top, int verify) {
		Tokenizer tokenizer = lm.tokenizer();
		float[] clean = FeatureAblator.lastLogits(lm, tokens);
		float[] probabilities = Predictions.softmax(clean);
		Integer[] order = IntStream.range(0, clean.length).boxed().sorted(Comparator.comparingDouble(i -> -clean[i]))
			.toArray(Integer[]::new);
		int target = request.target() == null || request.target().isEmpty() ? order[0]
				: Predictions.resolveToken(tokenizer, request.target(), "target");
		int contrast;
		if (request.contrast() == null || request.contrast().isEmpty()) {
			contrast = order[0] == target ? order[1] : order[0];
		}
		else {
			contrast = Predictions.resolveToken(tokenizer, request.contrast(), "contrast");
		}
		if (contrast == target) {
			throw new AnalysisException("the target and contrast tokens are the same (id " + target + ")");
		}
		Attribution attribution = FeatureAttributor.attribute(lm, sae, tokens, target, contrast);
		int dSae = sae.config().dSae();

		// summed over positions: top positive, then top negative
		float[] summed = new float[dSae];
		float[] maxActivation = new float[dSae];
		for (int i = 0; i < dSae; i++) {
			summed[i] = attribution.summedAttribution(i);
			for (int p = 0; p < tokens.length; p++) {
				maxActivation[i] = Math.max(maxActivation[i], attribution.activations()[p][i]);
			}
		}
		List<Integer> summedTop = topBothSigns(summed, top);
		// per position
		List<List<Integer>> positionTop = new ArrayList<>();
		for (int p = 0; p < tokens.length; p++) {
			float[] row = new float[dSae];
			for (int i = 0; i < dSae; i++) {
				row[i] = attribution.attribution(p, i);
			}
			positionTop.add(topBothSigns(row, top));
		}
		// exact ablations of the largest |summed attribution|
		int[] verified = IntStream.range(0, dSae).filter(attribution::active).boxed()
			.sorted(Comparator.comparingDouble(i -> -Math.abs(summed[i]))).mapToInt(Integer::intValue).limit(verify)
			.toArray();
		Float[] ablation = new Float[dSae];
		Verification verification = null;
		if (verified.length > 0) {
			List<int[]> sets = new ArrayList<>();
			for (int i : verified) {
				sets.add(new int[] { i });
			}
			float[] ablated = FeatureAblator.logitDifferences(lm, sae, tokens, target, contrast, sets);
			double[] a = new double[verified.length];
			double[] e = new double[verified.length];
			int agree = 0;
			for (int k = 0; k < verified.length; k++) {
				float effect = attribution.logitDifference() - ablated[k];
				ablation[verified[k]] = effect;
				a[k] = summed[verified[k]];
				e[k] = effect;
				if (Math.signum(a[k]) == Math.signum(e[k])) {
					agree++;
				}
			}
			double r = Correlation.pearson(a, e);
			verification = new Verification(verified.length, Double.isNaN(r) ? null : r, agree);
		}
		Set<Integer> shown = new HashSet<>(summedTop);
		positionTop.forEach(shown::addAll);
		Map<Integer, String> labels = this.features.findLabelTexts(catalogSae.getId(),
				shown.stream().mapToInt(Integer::intValue).toArray());
		String base = "/" + model.getName() + "/" + catalogSae.getName() + "/";

		List<FeatureRow> summedRows = summedTop.stream()
			.map(i -> new FeatureRow(i, maxActivation[i], summed[i], ablation[i], labels.get(i), base + i)).toList();
		List<PositionRows> positions = new ArrayList<>();
		List<Token> tokenList = new ArrayList<>();
		for (int p = 0; p < tokens.length; p++) {
			int position = p;
			tokenList.add(new Token(p, tokens[p], tokenizer.tokenString(tokens[p])));
			if (p == 0) {
				continue; // BOS: not spliced, no attribution
			}
			positions.add(new PositionRows(p, tokenizer.tokenString(tokens[p]), positionTop.get(p).stream()
				.map(i -> new FeatureRow(i, attribution.activations()[position][i], attribution.attribution(position, i),
						null, labels.get(i), base + i))
				.toList()));
		}
		List<FeatureTrace> traces = summedTop.stream().map(i -> trace(attribution, i)).toList();
		List<Prediction> predictions = Arrays.stream(order).limit(PREDICTIONS)
			.map(i -> Predictions.of(tokenizer, i, clean, probabilities)).toList();
		return new AnalysisResult(model.getName(), catalogSae.getName(), request.prompt(), tokenList,
				Predictions.of(tokenizer, target, clean, probabilities), Predictions.of(tokenizer, contrast, clean, probabilities),
				attribution.logitDifference(), predictions, summedRows, positions, verification, traces);
	}

	/** One feature's activation and attribution at every prompt position (BOS first, always 0). */
	private static FeatureTrace trace(Attribution attribution, int feature) {
		List<Float> activations = new ArrayList<>();
		List<Float> attributions = new ArrayList<>();
		for (int p = 0; p < attribution.tokens().length; p++) {
			activations.add(attribution.activations()[p][feature]);
			attributions.add(attribution.attribution(p, feature));
		}
		return new FeatureTrace(feature, activations, attributions);
	}

	/** Indices of the {@code top} largest positive values (descending), then the {@code top} most negative. */
	static List<Integer> topBothSigns(float[] values, int top) {
		List<Integer> out = new ArrayList<>();
		IntStream.range(0, values.length).filter(i -> values[i] > 0).boxed()
			.sorted(Comparator.comparingDouble(i -> -values[i])).limit(top).forEach(out::add);
		IntStream.range(0, values.length).filter(i -> values[i] < 0).boxed()
			.sorted(Comparator.comparingDouble(i -> values[i])).limit(top).forEach(out::add);
		return out;
	}

}
