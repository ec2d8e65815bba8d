package dev.lumen.playground;

import ai.djl.Device;
import dev.lumen.catalog.CatalogModel;
import dev.lumen.catalog.CatalogModelRepository;
import dev.lumen.catalog.CatalogSae;
import dev.lumen.catalog.SaeRegistrar;
import dev.lumen.engine.sae.Sae;
import dev.lumen.feature.DecoderVectorWriter;
import dev.lumen.testing.RepoFiles;
import java.nio.file.Path;
import java.util.UUID;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The demo model and demo SAE registered in the catalog under unique names, with the first {@link #FEATURES}
 * feature rows (decoder vectors from the SAE); feature {@link #WITH_MAX} gets max activation {@link #MAX}.
 */
final class SteerFixture implements AutoCloseable {

	static final Path SAE_DIR = RepoFiles.root().resolve("demo/sae/tinystories-1m-blocks.1.hook_resid_post-1024");

	static final int FEATURES = 32;

	static final int WITH_MAX = 17;

	static final float MAX = 4.0f;

	final CatalogModel model;

	final CatalogSae sae;

	private final CatalogModelRepository models;

	private final JdbcTemplate jdbc;

	SteerFixture(ApplicationContext context) throws Exception {
		this(context, RepoFiles.DEMO_MODEL);
	}

	/** @param modelSource the model's files (the demo model, or a copy of it, e.g. with a chat template added) */
	SteerFixture(ApplicationContext context, Path modelSource) throws Exception {
		this.models = context.getBean(CatalogModelRepository.class);
		this.jdbc = context.getBean(JdbcTemplate.class);
		this.model = this.models.save(new CatalogModel("play-" + UUID.randomUUID().toString().substring(0, 8),
				"playground test", modelSource.toString(), "LlamaForCausalLM", 128, 8, 512));
		this.sae = context.getBean(SaeRegistrar.class).register(new CatalogSae(this.model, "res1", "blocks.1.hook_resid_post", 1,
				128, 1024, "topk", SAE_DIR.toString()));
		float[][] rows = new float[FEATURES][]; // [features, dIn]
		try (Sae s = Sae.loadFromDisk(SAE_DIR, Device.cpu())) {
			for (int f = 0; f < FEATURES; f++) {
				rows[f] = s.decoderVector(f);
			}
		}
		context.getBean(DecoderVectorWriter.class).insert(this.sae, 0, rows);
		this.jdbc.update("UPDATE feature SET max_activation = ? WHERE sae_id = ? AND feature_index = ?", MAX, this.sae.getId(),
				WITH_MAX);
	}

	/** Gives a feature a label, as autointerp would. */
	void label(int index, String label) {
		this.jdbc.update("INSERT INTO feature_label (sae_id, feature_index, label, explainer) VALUES (?, ?, ?, 'test')",
				this.sae.getId(), index, label);
	}

	@Override
	public void close() {
		this.models.delete(this.model);
	}
}
