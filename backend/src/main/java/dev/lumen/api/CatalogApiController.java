package dev.lumen.api;

import dev.lumen.api.ApiDtos.FeaturePageJson;
import dev.lumen.api.ApiDtos.FeatureRowJson;
import dev.lumen.api.ApiDtos.IndexHitJson;
import dev.lumen.api.ApiDtos.ModelJson;
import dev.lumen.api.ApiDtos.SaeJson;
import dev.lumen.api.ApiDtos.SearchJson;
import dev.lumen.catalog.CatalogModel;
import dev.lumen.catalog.CatalogModelRepository;
import dev.lumen.sae.FeatureSort;
import dev.lumen.sae.ResolvedSae;
import dev.lumen.sae.SaeDirectory;
import dev.lumen.sae.SaeOverviewRepository;
import dev.lumen.sae.SaeStats;
import dev.lumen.search.SearchMode;
import dev.lumen.search.SearchResult;
import dev.lumen.search.SearchService;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** JSON for the catalog: models, SAEs, feature tables and search. */
@RestController
@RequestMapping("/api")
@Tag(name = "catalog")
class CatalogApiController {

	/** Largest page of the feature table one request may ask for. */
	static final int MAX_PAGE_SIZE = 500;

	private final CatalogModelRepository models;

	private final SaeDirectory directory;

	private final SaeOverviewRepository overview;

	private final SearchService search;

	CatalogApiController(CatalogModelRepository models, SaeDirectory directory, SaeOverviewRepository overview,
			SearchService search) {
		this.models = models;
		this.directory = directory;
		this.overview = overview;
		this.search = search;
	}

	@GetMapping("/models")
	@Operation(summary = "Every model with its SAEs and their key numbers")
	List<ModelJson> listModels() {
		List<ResolvedSae> saes = this.directory.all();
		return this.models.findAllByOrderByName()
			.stream()
			.map(m -> model(m, saes.stream().filter(s -> s.modelId() == m.getId()).map(CatalogApiController::sae).toList()))
			.toList();
	}

	@GetMapping("/{model}/{sae}")
	@Operation(summary = "One SAE with its key numbers")
	SaeJson showSae(@PathVariable String model, @PathVariable String sae) {
		return sae(this.directory.resolve(model, sae));
	}

	@GetMapping("/{model}/{sae}/features")
	@Operation(summary = "One page of an SAE's features; sort = index | density | max, dir = asc | desc")
	FeaturePageJson listFeatures(@PathVariable String model, @PathVariable String sae,
			@RequestParam(defaultValue = "index") String sort, @RequestParam(defaultValue = "asc") String dir,
			@RequestParam(defaultValue = "1") int page, @RequestParam(defaultValue = "50") int size) {
		ResolvedSae s = this.directory.resolve(model, sae);
		FeatureSort by = FeatureSort.parse(sort);
		// the documented values only: a typo gets a 400 naming them, not a silently different page
		if (!by.param().equals(sort)) {
			throw new BadParameterException("parameter 'sort' must be index, density or max, got '" + sort + "'");
		}
		if (!"asc".equals(dir) && !"desc".equals(dir)) {
			throw new BadParameterException("parameter 'dir' must be asc or desc, got '" + dir + "'");
		}
		if (page < 1) {
			throw new BadParameterException("parameter 'page' must be 1 or more, got " + page);
		}
		if (size < 1) {
			throw new BadParameterException("parameter 'size' must be 1 or more, got " + size);
		}
		boolean desc = "desc".equals(dir);
		int pageSize = Math.min(MAX_PAGE_SIZE, size); // documented: at most 500 a page
		int p = page;
		List<FeatureRowJson> rows = this.overview.page(s.saeId(), by, desc, (p - 1) * pageSize, pageSize)
			.stream()
			.map(r -> new FeatureRowJson(r.index(), r.density(), r.maxActivation(), r.label(), r.heuristic()))
			.toList();
		return new FeaturePageJson(s.modelName(), s.saeName(), this.overview.countFeatures(s.saeId()), p, pageSize,
				by.param(), desc ? "desc" : "asc", rows);
	}

	@GetMapping("/search")
	@Operation(summary = "Search labels and descriptions (mode=text: full-text + trigram; mode=semantic: cosine "
			+ "similarity of label embeddings, score = cosine) or find a feature index; sae = model/sae limits the search")
	SearchJson searchFeatures(@RequestParam(defaultValue = "") String q, @RequestParam(required = false) String sae,
			@RequestParam(defaultValue = "1") int page, @RequestParam(defaultValue = "text") String mode) {
		if (page < 1) {
			throw new BadParameterException("parameter 'page' must be 1 or more, got " + page);
		}
		if (!"text".equals(mode) && !"semantic".equals(mode)) {
			throw new BadParameterException("parameter 'mode' must be text or semantic, got '" + mode + "'");
		}
		ResolvedSae scope = this.search.scope(sae).orElse(null);
		SearchResult r = this.search.search(q, scope, page, SearchMode.fromParam(mode));
		List<IndexHitJson> hits = r.redirect() != null ? List.of(permalinkHit(r.redirect()))
				: r.indexHits()
					.stream()
					.map(h -> new IndexHitJson(h.sae().modelName(), h.sae().saeName(), h.index(), h.href()))
					.toList();
		return new SearchJson(r.query(), r.mode().param(), r.truncated(), hits, r.matches(), r.page(), r.more());
	}

	/** A search that resolved to exactly one feature: its permalink {@code /model/sae/index}. */
	private static IndexHitJson permalinkHit(String href) {
		String[] parts = href.substring(1).split("/");
		return new IndexHitJson(parts[0], parts[1], Integer.parseInt(parts[2]), href);
	}

	private static ModelJson model(CatalogModel m, List<SaeJson> saes) {
		return new ModelJson(m.getName(), m.getDisplayName(), m.getArchitecture(), m.getDModel(), m.getNLayers(),
				m.getVocabSize(), saes);
	}

	private static SaeJson sae(ResolvedSae s) {
		return new SaeJson(s.modelName(), s.saeName(), s.sae().getHookName(), s.sae().getHookLayer(), s.sae().getDIn(),
				s.sae().getDSae(), s.sae().getArchitecture(), SaeStats.of(s.sae()), s.href());
	}
}
