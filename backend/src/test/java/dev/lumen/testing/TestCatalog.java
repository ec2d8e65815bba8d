package dev.lumen.testing;

import dev.lumen.catalog.CatalogModel;
import dev.lumen.catalog.CatalogModelRepository;
import dev.lumen.catalog.CatalogSae;
import dev.lumen.catalog.SaeRegistrar;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Creates models and SAEs with unique names for one test and deletes them (with their features) afterwards. */
public final class TestCatalog implements AutoCloseable {

	private final CatalogModelRepository models;

	private final SaeRegistrar registrar;

	private final List<CatalogModel> created = new ArrayList<>();

	public TestCatalog(CatalogModelRepository models, SaeRegistrar registrar) {
		this.models = models;
		this.registrar = registrar;
	}

	public CatalogModel model(String displayName, int dModel) {
		String slug = "test-" + UUID.randomUUID().toString().substring(0, 8);
		CatalogModel m = this.models.save(new CatalogModel(slug, displayName, "test", "LlamaForCausalLM", dModel, 4, 2048));
		this.created.add(m);
		return m;
	}

	public CatalogSae sae(CatalogModel model, String name, int dIn, int dSae) {
		return this.registrar.register(new CatalogSae(model, name, "blocks.1.hook_resid_post", 1, dIn, dSae, "standard",
				"test"));
	}

	@Override
	public void close() {
		// ON DELETE CASCADE removes SAEs and features; the partial indexes of deleted SAEs stay empty and harmless
		this.created.forEach(this.models::delete);
	}
}
