package dev.lumen.map;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.lumen.webcache.PageVersions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Service;

/**
 * Maps as pages and answers: the whole map of an SAE is loaded once per content version and kept in memory;
 * what is drawn is thinned to one point per grid cell of the visible region (deterministically), with search
 * matches and the current feature always drawn; cluster labels are recomputed when the SAE's labels change.
 */
@Service
public class MapService {

	/** Grid cells across the visible region: at most GRID² points are drawn. */
	static final int GRID = 40;

	/** Search matches drawn at most. */
	static final int MAX_MATCHES = 500;

	private final FeatureMapRepository repository;

	private final PageVersions versions;

	private final Cache<String, MapData> maps = Caffeine.newBuilder().maximumSize(8).build();

	private final Cache<String, List<String>> clusterLabels = Caffeine.newBuilder().maximumSize(8).build();

	public MapService(FeatureMapRepository repository, PageVersions versions) {
		this.repository = repository;
		this.versions = versions;
	}

	/** A map as drawn: points, labelled clusters, and the features the search matched. */
	public record View(MapData data, List<MapPoint> points, List<String> clusterLabels, int matches, MapColours colour) {
	}

	/** @return the SAE's map, or empty when it has none yet */
	public Optional<MapData> data(long saeId) {
		PageVersions.SaeVersion v = this.versions.sae(saeId);
		return Optional.ofNullable(this.maps.get(saeId + "." + v.content(),
				key -> this.repository.load(saeId).orElse(null)));
	}

	/** @return each cluster's label, from the current labels of its features */
	public List<String> clusterLabels(MapData data) {
		PageVersions.SaeVersion v = this.versions.sae(data.saeId());
		return this.clusterLabels.get(data.saeId() + "." + v.content() + "." + v.labels(), key -> {
			Map<Integer, String> labels = this.repository.allLabels(data.saeId());
			String[] perRow = new String[data.size()];
			for (int r = 0; r < data.size(); r++) {
				perRow[r] = labels.get(data.featureIndex()[r]);
			}
			return ClusterLabels.of(data.cluster(), data.clusters().size(), perRow);
		});
	}

	/**
	 * @param query label words to highlight, or null
	 * @param always features drawn whatever the thinning (the current feature, its neighbours)
	 */
	public View view(MapData data, MapRegion region, MapColours colour, String query, Set<Integer> always) {
		List<Integer> matches = query == null || query.isBlank() ? List.of()
				: this.repository.search(data.saeId(), query, MAX_MATCHES);
		Set<Integer> matched = new HashSet<>(matches);
		int[] rows = drawnRows(data, region, matched, always);
		int[] indices = Arrays.stream(rows).map(r -> data.featureIndex()[r]).toArray();
		Map<Integer, FeatureMapRepository.PointInfo> info = this.repository.info(data.saeId(), indices);
		float maxScale = data.maxScale();
		List<MapPoint> points = new ArrayList<>(rows.length);
		for (int r : rows) {
			int index = data.featureIndex()[r];
			FeatureMapRepository.PointInfo p = info.get(index);
			points.add(new MapPoint(index, data.x()[r], data.y()[r], fill(data, r, colour, p, maxScale),
					p == null ? null : p.label(), matched.contains(index)));
		}
		return new View(data, points, clusterLabels(data), matches.size(), colour);
	}

	/** @return the points of a picture: thinned over the whole map, coloured by cluster, without labels */
	public List<MapPoint> background(MapData data) {
		List<MapPoint> out = new ArrayList<>();
		for (int r : drawnRows(data, MapRegion.ALL, Set.of(), Set.of())) {
			out.add(new MapPoint(data.featureIndex()[r], data.x()[r], data.y()[r], MapColours.cluster(data.cluster()[r]),
					null, false));
		}
		return out;
	}

	/** One row per grid cell of the region, in a fixed pseudo-random order, plus the rows that are always drawn. */
	static int[] drawnRows(MapData data, MapRegion region, Set<Integer> matched, Set<Integer> always) {
		boolean[] taken = new boolean[GRID * GRID];
		List<Integer> rows = new ArrayList<>();
		int n = data.size();
		float w = region.x1() - region.x0(), h = region.y1() - region.y0();
		for (int step = 0; step < n; step++) {
			// a fixed permutation of the rows (2^31 - 1 is prime, so coprime with n), so no index range is favoured
			int r = (int) ((step * 2147483647L + 17) % n);
			float x = data.x()[r], y = data.y()[r];
			int index = data.featureIndex()[r];
			if (!region.contains(x, y)) {
				continue;
			}
			int cx = Math.min(GRID - 1, (int) ((x - region.x0()) / w * GRID));
			int cy = Math.min(GRID - 1, (int) ((y - region.y0()) / h * GRID));
			boolean forced = matched.contains(index) || always.contains(index);
			if (forced || !taken[cy * GRID + cx]) {
				taken[cy * GRID + cx] = true;
				rows.add(r);
			}
		}
		return rows.stream().mapToInt(Integer::intValue).sorted().toArray();
	}

	private static String fill(MapData data, int r, MapColours colour, FeatureMapRepository.PointInfo p, float maxScale) {
		return switch (colour) {
			case CLUSTER -> MapColours.cluster(data.cluster()[r]);
			// log10 density from 1e-6 (rare) to 1 (always on)
			case DENSITY -> MapColours.ramp((Math.log10(data.density()[r]) + 6) / 6);
			case MAX -> MapColours.ramp(data.maxActivation()[r] / maxScale);
			case SCORE -> MapColours.ramp(p == null || p.score() == null ? Double.NaN : p.score());
			case FLAGGED -> p != null && p.flagged() ? MapColours.FLAG : MapColours.MISSING;
		};
	}
}
