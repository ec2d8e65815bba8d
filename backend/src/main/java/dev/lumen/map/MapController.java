package dev.lumen.map;

import dev.lumen.feature.FeatureNeighbourRepository;
import dev.lumen.feature.FeatureNeighbour;
import dev.lumen.sae.CatalogPaths;
import dev.lumen.sae.ResolvedSae;
import dev.lumen.sae.SaeDirectory;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;

/**
 * The feature map of an SAE ({@code /{model}/{sae}/map}), its preview picture, and the small map of a feature
 * page ({@code /{model}/{sae}/{index}/map.svg}).
 */
@Controller
class MapController {

	static final String VIEW_SAE_MAP = "maps/saeMap";

	static final MediaType SVG = MediaType.valueOf("image/svg+xml");

	/** Points drawn behind the marked ones in the small pictures. */
	static final int PICTURE_SIZE = 240;

	private final SaeDirectory directory;

	private final MapService maps;

	private final FeatureNeighbourRepository neighbours;

	MapController(SaeDirectory directory, MapService maps, FeatureNeighbourRepository neighbours) {
		this.directory = directory;
		this.maps = maps;
		this.neighbours = neighbours;
	}

	@GetMapping(CatalogPaths.SAE + "/map")
	String showMap(@PathVariable String model, @PathVariable String sae, @RequestParam(required = false) String colour,
			@RequestParam(required = false) String q, @RequestParam(required = false) Integer feature, Model view) {
		ResolvedSae resolved = this.directory.resolve(model, sae);
		MapColours by = colourOf(colour);
		String query = q == null ? null : q.strip().substring(0, Math.min(q.strip().length(), 200));
		view.addAttribute("sae", resolved);
		view.addAttribute("colour", by.param());
		view.addAttribute("q", query);
		view.addAttribute("colours", MapColours.values());
		Optional<MapData> data = this.maps.data(resolved.saeId());
		if (data.isEmpty()) {
			return VIEW_SAE_MAP;
		}
		Integer current = feature != null && data.get().row(feature) >= 0 ? feature : null;
		Set<Integer> marked = current == null ? Set.of() : neighbourIndices(resolved, current);
		Set<Integer> always = new LinkedHashSet<>(marked);
		if (current != null) {
			always.add(current);
		}
		MapService.View drawn = this.maps.view(data.get(), MapRegion.ALL, by, query, always);
		view.addAttribute("map", drawn);
		view.addAttribute("svg", MapSvg.page(drawn, MapRegion.ALL, resolved.href() + "/", current, marked));
		view.addAttribute("current", current);
		return VIEW_SAE_MAP;
	}

	/** The SAE's map as a picture, coloured by cluster (the SAE page shows it). */
	@GetMapping(CatalogPaths.SAE + "/map.svg")
	ResponseEntity<String> saePicture(@PathVariable String model, @PathVariable String sae) {
		ResolvedSae resolved = this.directory.resolve(model, sae);
		return ResponseEntity.ok().contentType(SVG).body(this.maps.data(resolved.saeId())
			.map(d -> MapSvg.picture(d, this.maps.background(d),
					Set.of(), null, PICTURE_SIZE))
			.orElseGet(() -> MapSvg.noMap(resolved.saeName(), PICTURE_SIZE)));
	}

	/** A feature's place on the map with its 10 nearest neighbours marked (the feature page shows it). */
	@GetMapping(CatalogPaths.FEATURE + "/map.svg")
	ResponseEntity<String> featurePicture(@PathVariable String model, @PathVariable String sae,
			@PathVariable String index) {
		ResolvedSae resolved = this.directory.resolve(model, sae);
		int featureIndex = this.directory.featureIndex(resolved, index);
		return ResponseEntity.ok().contentType(SVG).body(this.maps.data(resolved.saeId())
			.map(d -> MapSvg.picture(d, this.maps.background(d),
					neighbourIndices(resolved, featureIndex), featureIndex, PICTURE_SIZE))
			.orElseGet(() -> MapSvg.noMap(resolved.saeName(), PICTURE_SIZE)));
	}

	/** @throws ResponseStatusException 400 naming the valid values */
	static MapColours colourOf(String colour) {
		try {
			return MapColours.parse(colour);
		}
		catch (IllegalArgumentException ex) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, ex.getMessage());
		}
	}

	private Set<Integer> neighbourIndices(ResolvedSae sae, int index) {
		Set<Integer> out = new LinkedHashSet<>();
		for (FeatureNeighbour n : this.neighbours.neighboursOf(sae.sae(), index, 10)) {
			out.add(n.featureIndex());
		}
		return out;
	}
}
