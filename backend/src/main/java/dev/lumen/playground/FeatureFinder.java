package dev.lumen.playground;

import dev.lumen.catalog.CatalogSae;
import dev.lumen.catalog.CatalogSaeRepository;
import dev.lumen.feature.FeatureRepository;
import dev.lumen.search.LabelMatch;
import dev.lumen.search.LabelSearchRepository;
import dev.lumen.search.SearchService;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * The playground form's feature search: an index ({@code 17} or {@code #17}) of the chosen SAE, or words looked up
 * in its feature labels by the site's label search ({@link LabelSearchRepository}: full text and trigrams).
 */
@Service
public class FeatureFinder {

	/** Most label matches shown under the search box. */
	static final int LIMIT = 10;

	private static final Pattern INDEX = Pattern.compile("#?([0-9]{1,10})");

	/**
	 * A feature the user can add.
	 * @param label its newest label, or null when it has none
	 * @param maxActivation from extraction, or null (then it can only be clamped to an absolute value)
	 */
	public record Found(int index, String label, boolean heuristic, Float maxActivation) {

		/** @return whether the feature can be clamped to a multiple of its max activation */
		public boolean hasMaxActivation() {
			return this.maxActivation != null;
		}
	}

	/**
	 * What a search found.
	 * @param query the query as searched
	 * @param features the matches, best first
	 * @param message why nothing is listed, or null
	 */
	public record Results(String query, List<Found> features, String message) {

		static Results none() {
			return new Results("", List.of(), null);
		}
	}

	private final CatalogSaeRepository saes;

	private final LabelSearchRepository labels;

	private final FeatureRepository featureRepository;

	private final JdbcTemplate jdbc;

	FeatureFinder(CatalogSaeRepository saes, LabelSearchRepository labels, FeatureRepository featureRepository,
			JdbcTemplate jdbc) {
		this.saes = saes;
		this.labels = labels;
		this.featureRepository = featureRepository;
		this.jdbc = jdbc;
	}

	/**
	 * @param target {@code model/sae} as in the form
	 * @param rawQuery label words or an index
	 */
	Results find(String target, String rawQuery) {
		String query = rawQuery == null ? "" : rawQuery.strip();
		if (query.length() > SearchService.MAX_QUERY_LENGTH) {
			query = query.substring(0, SearchService.MAX_QUERY_LENGTH);
		}
		if (query.isEmpty()) {
			return Results.none();
		}
		Optional<CatalogSae> sae = sae(target);
		if (sae.isEmpty()) {
			return new Results(query, List.of(), "Choose a model / SAE first.");
		}
		long saeId = sae.get().getId();
		Matcher index = INDEX.matcher(query);
		if (index.matches()) {
			long i = Long.parseLong(index.group(1));
			if (i >= sae.get().getDSae()) {
				return new Results(query, List.of(), "SAE '" + sae.get().getName() + "' has features 0 to "
						+ (sae.get().getDSae() - 1) + ".");
			}
			int feature = (int) i;
			Map<Integer, Float> max = maxActivations(saeId, List.of(feature));
			Found found = this.featureRepository.findLatestLabel(saeId, feature)
				.map(l -> new Found(feature, l.label(), l.heuristic(), max.get(feature)))
				.orElse(new Found(feature, null, false, max.get(feature)));
			return new Results(query, List.of(found), null);
		}
		List<LabelMatch> matches = this.labels.search(query, saeId, LIMIT, 0);
		Map<Integer, Float> max = maxActivations(saeId, matches.stream().map(LabelMatch::featureIndex).toList());
		List<Found> found = matches.stream()
			.map(m -> new Found(m.featureIndex(), m.label(), m.heuristic(), max.get(m.featureIndex())))
			.toList();
		return new Results(query, found,
				found.isEmpty() ? "No feature label of this SAE matches. Labels come from autointerp; an index also works."
						: null);
	}

	/** @return whether the feature exists in the target SAE, and its max activation if recorded */
	Optional<Found> feature(String target, int index) {
		return sae(target).filter(s -> index >= 0 && index < s.getDSae())
			.map(s -> new Found(index, null, false, maxActivations(s.getId(), List.of(index)).get(index)));
	}

	/**
	 * A steered feature of a saved run with its newest label, for the run's page.
	 * @param label null when it has none (or its SAE has left the catalog)
	 */
	public record Labelled(SteerResult.AppliedFeature feature, String label, boolean heuristic) {
	}

	/** @return the run's features with their newest labels */
	List<Labelled> labelled(String model, List<SteerResult.AppliedFeature> features) {
		List<Labelled> out = new ArrayList<>();
		for (SteerResult.AppliedFeature f : features) {
			out.add(sae(model + "/" + f.sae()).flatMap(s -> this.featureRepository.findLatestLabel(s.getId(), f.index()))
				.map(l -> new Labelled(f, l.label(), l.heuristic()))
				.orElse(new Labelled(f, null, false)));
		}
		return out;
	}

	private Optional<CatalogSae> sae(String target) {
		if (target == null || !target.contains("/")) {
			return Optional.empty();
		}
		int slash = target.indexOf('/');
		return this.saes.findByModelNameAndName(target.substring(0, slash), target.substring(slash + 1));
	}

	private Map<Integer, Float> maxActivations(long saeId, List<Integer> indices) {
		Map<Integer, Float> out = new HashMap<>();
		if (indices.isEmpty()) {
			return out;
		}
		this.jdbc.query("SELECT feature_index, max_activation FROM feature WHERE sae_id = ? AND feature_index = ANY (?) "
				+ "AND max_activation > 0", rs -> {
					out.put(rs.getInt(1), rs.getFloat(2));
				}, saeId, new ArrayList<>(indices).toArray(new Integer[0]));
		return out;
	}
}
