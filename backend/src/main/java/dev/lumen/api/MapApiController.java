package dev.lumen.api;

import dev.lumen.feature.FeatureNeighbour;
import dev.lumen.feature.FeatureNeighbourRepository;
import dev.lumen.map.MapColours;
import dev.lumen.map.MapData;
import dev.lumen.map.MapRegion;
import dev.lumen.map.MapService;
import dev.lumen.sae.NotInCatalogException;
import dev.lumen.sae.NotInCatalogException.Suggestion;
import dev.lumen.sae.ResolvedSae;
import dev.lumen.sae.SaeDirectory;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** The feature map in the JSON API. */
@RestController
@RequestMapping("/api")
class MapApiController {

	private final SaeDirectory directory;

	private final MapService maps;

	private final FeatureNeighbourRepository neighbours;

	MapApiController(SaeDirectory directory, MapService maps, FeatureNeighbourRepository neighbours) {
		this.directory = directory;
		this.maps = maps;
		this.neighbours = neighbours;
	}

	/** Every feature's position and cluster as parallel arrays (compact for 100k features), and the clusters. */
	record MapJson(String method, long seed, int features, int laidOut, List<ClusterJson> clusters, int[] index,
			float[] x, float[] y, int[] cluster) {
	}

	record ClusterJson(int id, String label, int size, float x, float y) {
	}

	/** Points drawn in a region (one per grid cell, matches and {@code feature} always), with labels and fills. */
	record PointsJson(int total, int matches, List<PointJson> points) {
	}

	record PointJson(int i, float x, float y, String fill, String label, boolean match) {
	}

	record FeatureMapJson(int index, float x, float y, int cluster, String clusterLabel, List<NeighbourJson> neighbours) {
	}

	record NeighbourJson(int index, double cosine, float x, float y) {
	}

	@GetMapping("/{model}/{sae}/map")
	MapJson map(@PathVariable String model, @PathVariable String sae) {
		ResolvedSae resolved = this.directory.resolve(model, sae);
		MapData d = mapOf(resolved);
		List<String> labels = this.maps.clusterLabels(d);
		List<ClusterJson> clusters = d.clusters()
			.stream()
			.map(c -> new ClusterJson(c.id(), labels.get(c.id()), c.size(), c.x(), c.y()))
			.toList();
		return new MapJson(d.method(), d.seed(), d.size(), d.laidOut(), clusters, d.featureIndex(), d.x(), d.y(),
				d.cluster());
	}

	@GetMapping("/{model}/{sae}/map/points")
	PointsJson points(@PathVariable String model, @PathVariable String sae,
			@RequestParam(defaultValue = "0") float x0, @RequestParam(defaultValue = "0") float y0,
			@RequestParam(defaultValue = "1000") float x1, @RequestParam(defaultValue = "1000") float y1,
			@RequestParam(required = false) String colour, @RequestParam(required = false) String q) {
		ResolvedSae resolved = this.directory.resolve(model, sae);
		MapRegion region;
		try {
			region = new MapRegion(x0, y0, x1, y1);
		}
		catch (IllegalArgumentException ex) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, ex.getMessage());
		}
		String query = q == null ? null : q.strip().substring(0, Math.min(q.strip().length(), 200));
		MapService.View view = this.maps.view(mapOf(resolved), region, colourOf(colour), query, Set.of());
		List<PointJson> points = view.points()
			.stream()
			.map(p -> new PointJson(p.index(), p.x(), p.y(), p.fill(), p.label(), p.match()))
			.toList();
		return new PointsJson(view.data().size(), view.matches(), points);
	}

	@GetMapping("/{model}/{sae}/{index}/map")
	FeatureMapJson feature(@PathVariable String model, @PathVariable String sae, @PathVariable String index) {
		ResolvedSae resolved = this.directory.resolve(model, sae);
		int featureIndex = this.directory.featureIndex(resolved, index);
		MapData d = mapOf(resolved);
		int row = d.row(featureIndex);
		if (row < 0) {
			throw new NotInCatalogException("Feature not on the map", "Feature " + featureIndex + " of SAE "
					+ resolved.saeName() + " was not stored when its map was computed; run lumen map again.",
					List.of(new Suggestion("SAE " + resolved.saeName() + " map", resolved.href() + "/map")));
		}
		List<NeighbourJson> near = new ArrayList<>();
		for (FeatureNeighbour n : this.neighbours.neighboursOf(resolved.sae(), featureIndex, 10)) {
			int r = d.row(n.featureIndex());
			if (r >= 0) {
				near.add(new NeighbourJson(n.featureIndex(), n.cosine(), d.x()[r], d.y()[r]));
			}
		}
		return new FeatureMapJson(featureIndex, d.x()[row], d.y()[row], d.cluster()[row],
				this.maps.clusterLabels(d).get(d.cluster()[row]), near);
	}

	private static MapColours colourOf(String colour) {
		try {
			return MapColours.parse(colour);
		}
		catch (IllegalArgumentException ex) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, ex.getMessage());
		}
	}

	private MapData mapOf(ResolvedSae sae) {
		return this.maps.data(sae.saeId())
			.orElseThrow(() -> new NotInCatalogException("No map yet", "SAE " + sae.saeName()
					+ " has no feature map yet: run lumen map --model-name " + sae.modelName() + " --sae-name "
					+ sae.saeName() + ".", List.of(new Suggestion("SAE " + sae.saeName() + " overview", sae.href()))));
	}
}
